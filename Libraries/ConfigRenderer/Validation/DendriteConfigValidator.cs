using DendriteAspire.ConfigRenderer.Model;
using DendriteAspire.ConfigRenderer.Rendering;

namespace DendriteAspire.ConfigRenderer.Validation;

/// <summary>
/// Checks a config the way Dendrite's <c>check()</c>, key loading and <c>Verify()</c> do, plus the mistakes Dendrite
/// lets through (a SQLite string in the global database, a scheme in well_known_server_name, shared SQLite files, a
/// bcrypt cost it silently replaces...). Paths are config keys such as <c>global.well_known_server_name</c>.
/// </summary>
public static class DendriteConfigValidator
{
    /// <summary>
    /// Validates a config. <paramref name="reallyEnableOpenRegistration"/> says Dendrite is started with
    /// <c>-really-enable-open-registration</c>, which lets it start with open registration and no captcha.
    /// </summary>
    public static IReadOnlyList<ConfigFinding> Validate(DendriteConfig config, bool reallyEnableOpenRegistration = false)
    {
        ArgumentNullException.ThrowIfNull(config);
        var findings = new Findings();
        if (config.Version is null)
        {
            findings.Warning("version", "is missing; Dendrite assumes 2, but write \"version: 2\" so the file says which format it is");
        }
        else if (config.Version != DendriteConfig.CurrentVersion)
        {
            findings.Error("version", $"is {config.Version}; Dendrite only loads config version 2, so set \"version: 2\"");
        }

        GlobalRules.Check(config.Global ?? new GlobalConfig(), findings);
        DatabaseRules.Check(config, findings);
        ClientApiRules.Check(config.ClientApi ?? new ClientApiConfig(), reallyEnableOpenRegistration, findings);
        FederationApiRules.Check(config.FederationApi ?? new FederationApiConfig(), findings);
        ComponentRules.Check(config, findings);
        LoggingRules.Check(config.Logging, findings);
        return findings.Items;
    }
}
