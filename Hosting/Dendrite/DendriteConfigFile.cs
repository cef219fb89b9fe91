using DendriteAspire.ConfigRenderer.Rendering;
using DendriteAspire.ConfigRenderer.Settings;
using DendriteAspire.Hosting.Kubernetes;

namespace DendriteAspire.Hosting;

/// <summary>
/// Renders <c>dendrite.yaml</c> for one target. The settings come from the resource; the secret and the database
/// URI are resolved by the target: as the local container sees them, or as the cluster does.
/// </summary>
internal static class DendriteConfigFile
{
    /// <summary>Renders the config with secrets and the database URI resolved by <paramref name="resolve"/>.</summary>
    /// <exception cref="DendriteSettingsException">The settings, with those values, are invalid.</exception>
    public static async Task<string> RenderAsync(DendriteResource dendrite, ResolveValue resolve, CancellationToken cancellationToken) =>
        (await RenderAllAsync(dendrite, resolve, cancellationToken).ConfigureAwait(false)).Yaml!;

    /// <summary>The Slack import's registration file, rendered with the same settings (Import:Enabled only).</summary>
    public static async Task<string> RenderImportRegistrationAsync(DendriteResource dendrite, ResolveValue resolve, CancellationToken cancellationToken) =>
        (await RenderAllAsync(dendrite, resolve, cancellationToken).ConfigureAwait(false)).ImportRegistrationYaml
        ?? throw new InvalidOperationException("the import registration is rendered only while Dendrite:Import:Enabled is true");

    private static async Task<RenderResult> RenderAllAsync(DendriteResource dendrite, ResolveValue resolve, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dendrite);
        ArgumentNullException.ThrowIfNull(resolve);

        var settings = SettingsCopy.Of(dendrite.Settings);
        if (dendrite.RegistrationSharedSecret is { } secret)
        {
            settings.Registration.SharedSecret = await resolve(secret, cancellationToken).ConfigureAwait(false);
        }

        if (settings.Metrics.Enabled && dendrite.MetricsPassword is { } metricsPassword)
        {
            settings.Metrics.Username = DendriteResource.MetricsUserName;
            settings.Metrics.Password = await resolve(metricsPassword, cancellationToken).ConfigureAwait(false);
        }

        settings.Import.Enabled = dendrite.ImportActive && dendrite.ImportToken is not null;
        if (settings.Import.Enabled)
        {
            settings.Import.Token = await resolve(dendrite.ImportToken!, cancellationToken).ConfigureAwait(false);
        }

        if (dendrite.DatabaseUri is { } uri)
        {
            settings.Database.Provider = DatabaseProvider.Postgres;
            settings.Database.ConnectionString = await resolve(uri, cancellationToken).ConfigureAwait(false);
        }

        var result = DendriteConfigRenderer.Render(settings, DendriteHostOptions.SectionName + ":");
        return result.Succeeded
            ? result
            : throw new DendriteSettingsException([.. result.Findings.Where(f => f.Severity == FindingSeverity.Error)]);
    }
}
