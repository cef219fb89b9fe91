using DendriteAspire.ConfigRenderer.Layout;
using DendriteAspire.Hosting.Kubernetes;

namespace DendriteAspire.Hosting;

/// <summary>
/// <c>Dendrite:Import:Enabled</c>: the Slack import's application-service registration. Its token can post as every
/// local user, so it exists only while the setting is on: a generated secret parameter
/// <c>&lt;name&gt;-import-token</c> (<c>dendrite-import-token</c> for <c>dendrite</c>; user secrets locally, the config Secret on a cluster, never a log or the manifest)
/// and a second file beside <c>dendrite.yaml</c> that <c>app_service_api.config_files</c> names. Dendrite reads
/// registrations only at start, so turning it on or off restarts Dendrite (the config checksum changes).
/// </summary>
public static class DendriteImport
{
    /// <summary>The secret parameter holding the registration's <c>as_token</c> for the resource <c>dendrite</c>.</summary>
    public const string TokenParameterName = "dendrite-import-token";

    /// <summary>
    /// The secret parameter holding the import registration's <c>as_token</c> of the Dendrite resource
    /// <paramref name="resourceName"/>: <c>&lt;name&gt;-import-token</c> (<see cref="TokenParameterName"/> for <c>dendrite</c>).
    /// </summary>
    /// <param name="resourceName">The Dendrite resource's name.</param>
    /// <returns>The parameter's name.</returns>
    public static string TokenParameterNameFor(string resourceName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(resourceName);
        return $"{resourceName}-import-token";
    }

    internal static void AddRegistration(IDistributedApplicationBuilder builder, IResourceBuilder<DendriteResource> dendrite)
    {
        if (dendrite.Resource.ImportToken is not null)
        {
            return;
        }

        var token = builder.AddParameter(
            TokenParameterNameFor(dendrite.Resource.Name),
            new GenerateParameterDefault { MinLength = 48, Special = false },
            secret: true,
            persist: true);
        dendrite.Resource.ImportToken = token.Resource;
        dendrite.WithAnnotation(new RenderedConfigFileAnnotation(
            DendritePaths.ConfigDirectory,
            DendritePaths.ImportRegistrationFileName,
            (resolve, cancellationToken) => DendriteConfigFile.RenderImportRegistrationAsync(dendrite.Resource, resolve, cancellationToken)));
    }
}
