using DendriteAspire.ConfigRenderer.Rendering;
using DendriteAspire.ConfigRenderer.Settings;

namespace DendriteAspire.Hosting;

/// <summary>
/// Checks <see cref="DendriteOptions"/> completely while the model is built, so bad input stops the AppHost before
/// anything starts: the host's keys, what never belongs in settings, and every rule of the rendered config (with
/// placeholders for the values only known at start-up).
/// </summary>
internal static class DendriteOptionsRules
{
    private const string KeyPrefix = DendriteHostOptions.SectionName + ":";

    /// <summary>Stands in for values only known at start-up, so every other rule can be checked now.</summary>
    private const string PlaceholderSecret = "validated-at-build-time";
    private const string PlaceholderImportToken = "import-token-validated-at-build-time";
    private const string PlaceholderDatabaseUri = "postgres://dendrite@postgres:5432/dendrite?sslmode=disable";

    /// <summary>The errors of the host keys (image tag, volume prefix, host port).</summary>
    public static IReadOnlyList<ConfigFinding> HostErrors(DendriteOptions options) => DendriteHostOptions.From(options).Validate();

    /// <summary>
    /// Values that must never be settings: the shared secret, the import token, and a connection string the AppHost
    /// builds itself.
    /// </summary>
    public static IReadOnlyList<ConfigFinding> ForbiddenSettings(DendriteSettings settings, string registrationSecretParameter, string importTokenParameter)
    {
        var errors = new List<ConfigFinding>();
        if (!string.IsNullOrEmpty(settings.Registration.SharedSecret))
        {
            errors.Add(new ConfigFinding(FindingSeverity.Error, KeyPrefix + "Registration:SharedSecret",
                $"the shared secret never goes in settings files; remove it and set Parameters:{registrationSecretParameter} "
                + "with 'dotnet user-secrets set' instead (it is generated and kept in user secrets on first run)"));
        }

        if (!string.IsNullOrEmpty(settings.Import.Token))
        {
            errors.Add(new ConfigFinding(FindingSeverity.Error, KeyPrefix + "Import:Token",
                $"the import token never goes in settings files; remove it (the AppHost generates the secret parameter {importTokenParameter} and keeps it in user secrets)"));
        }

        if (!string.IsNullOrEmpty(settings.Metrics.Password) || !string.IsNullOrEmpty(settings.Metrics.Username))
        {
            errors.Add(new ConfigFinding(FindingSeverity.Error, KeyPrefix + (string.IsNullOrEmpty(settings.Metrics.Password) ? "Metrics:Username" : "Metrics:Password"),
                $"the metrics login is not a setting: the user is \"{DendriteResource.MetricsUserName}\" and the password the generated secret parameter "
                + $"{DendriteMetrics.DefaultPasswordParameterName} (kept in user secrets; 'dotnet user-secrets set Parameters:{DendriteMetrics.DefaultPasswordParameterName} <value>' to choose it); remove this key"));
        }

        if (settings.Database.Provider == DatabaseProvider.Postgres && !string.IsNullOrEmpty(settings.Database.ConnectionString))
        {
            errors.Add(new ConfigFinding(FindingSeverity.Error, KeyPrefix + "Database:ConnectionString",
                "the AppHost runs Postgres itself and builds the connection string; remove this key"));
        }

        return errors;
    }

    /// <summary>Every rule of the rendered config, with placeholders for the secret and the database URI.</summary>
    public static IReadOnlyList<ConfigFinding> RenderErrors(DendriteSettings settings) =>
        [.. DendriteConfigRenderer.Render(WithPlaceholders(settings), KeyPrefix).Findings.Where(IsError)];

    /// <summary>All of the above, in that order; the render is checked only when the rest is clean.</summary>
    /// <exception cref="DendriteSettingsException">Any rule is broken.</exception>
    public static void ThrowIfInvalid(DendriteOptions options, string registrationSecretParameter, string importTokenParameter)
    {
        var errors = HostErrors(options).Concat(ForbiddenSettings(options.Settings, registrationSecretParameter, importTokenParameter)).ToList();
        if (errors.Count == 0)
        {
            errors.AddRange(RenderErrors(options.Settings));
        }

        if (errors.Count > 0)
        {
            throw new DendriteSettingsException(errors);
        }
    }

    private static DendriteSettings WithPlaceholders(DendriteSettings settings)
    {
        var copy = SettingsCopy.Of(settings);
        copy.Registration.SharedSecret = PlaceholderSecret;
        if (copy.Metrics.Enabled)
        {
            copy.Metrics.Username = DendriteResource.MetricsUserName;
            copy.Metrics.Password = PlaceholderSecret;
        }

        copy.Import.Token = copy.Import.Enabled ? PlaceholderImportToken : null;
        if (copy.Database.Provider == DatabaseProvider.Postgres)
        {
            copy.Database.ConnectionString = PlaceholderDatabaseUri;
        }

        return copy;
    }

    private static bool IsError(ConfigFinding finding) => finding.Severity == FindingSeverity.Error;
}
