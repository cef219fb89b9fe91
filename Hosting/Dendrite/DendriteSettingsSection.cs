using DendriteAspire.ConfigRenderer.Rendering;
using DendriteAspire.ConfigRenderer.Settings;
using Microsoft.Extensions.Configuration;

namespace DendriteAspire.Hosting;

/// <summary>
/// Reads the <c>Dendrite</c> configuration section (appsettings.json, user secrets, environment, command line)
/// and checks it completely while the model is built, so bad input stops the AppHost before anything starts.
/// </summary>
internal static class DendriteSettingsSection
{
    private const string KeyPrefix = DendriteHostOptions.SectionName + ":";

    /// <summary>Stands in for values only known at start-up, so every other rule can be checked now.</summary>
    private const string PlaceholderSecret = "validated-at-build-time";
    private const string PlaceholderImportToken = "import-token-validated-at-build-time";
    private const string PlaceholderDatabaseUri = "postgres://dendrite@postgres:5432/dendrite?sslmode=disable";

    public static (DendriteSettings Settings, DendriteHostOptions Host) Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(DendriteHostOptions.SectionName);
        var bound = DendriteSettingsBinder.Bind(section, KeyPrefix, BootstrapAdminSettings.AlsoIgnoring(DendriteHostOptions.Keys));
        var host = DendriteHostOptions.From(configuration);

        var errors = bound.Findings.Where(IsError).Concat(host.Validate()).ToList();
        if (!string.IsNullOrEmpty(bound.Settings.Registration.SharedSecret))
        {
            errors.Add(new ConfigFinding(FindingSeverity.Error, KeyPrefix + "Registration:SharedSecret",
                $"the shared secret never goes in settings files; remove it and set Parameters:{DendriteBuilderExtensions.RegistrationSecretParameterName} "
                + "with 'dotnet user-secrets set' instead (it is generated and kept in user secrets on first run)"));
        }

        if (!string.IsNullOrEmpty(bound.Settings.Import.Token))
        {
            errors.Add(new ConfigFinding(FindingSeverity.Error, KeyPrefix + "Import:Token",
                $"the import token never goes in settings files; remove it (the AppHost generates the secret parameter {DendriteImport.TokenParameterName} and keeps it in user secrets)"));
        }

        if (bound.Settings.Database.Provider == DatabaseProvider.Postgres && !string.IsNullOrEmpty(bound.Settings.Database.ConnectionString))
        {
            errors.Add(new ConfigFinding(FindingSeverity.Error, KeyPrefix + "Database:ConnectionString",
                "the AppHost runs Postgres itself and builds the connection string; remove this key"));
        }

        if (errors.Count == 0)
        {
            errors.AddRange(DendriteConfigRenderer.Render(WithPlaceholders(bound.Settings), KeyPrefix).Findings.Where(IsError));
        }

        return errors.Count > 0 ? throw new DendriteSettingsException(errors) : (bound.Settings, host);
    }

    private static DendriteSettings WithPlaceholders(DendriteSettings settings)
    {
        var copy = SettingsCopy.Of(settings);
        copy.Registration.SharedSecret = PlaceholderSecret;
        copy.Import.Token = copy.Import.Enabled ? PlaceholderImportToken : null;
        if (copy.Database.Provider == DatabaseProvider.Postgres)
        {
            copy.Database.ConnectionString = PlaceholderDatabaseUri;
        }

        return copy;
    }

    private static bool IsError(ConfigFinding finding) => finding.Severity == FindingSeverity.Error;
}
