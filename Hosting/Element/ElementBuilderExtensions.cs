using DendriteAspire.Hosting.Kubernetes;
using Microsoft.Extensions.Configuration;

namespace DendriteAspire.Hosting;

/// <summary>Adds Element Web, preconfigured for a Dendrite homeserver.</summary>
public static class ElementBuilderExtensions
{
    /// <summary>Read-only for everyone: the file holds no secrets, and nginx may run as any user.</summary>
    private const UnixFileMode ConfigFileMode = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Whether <c>Dendrite:Client:Enabled</c> asks for Element Web (it does unless set to false).</summary>
    public static bool IsElementWebEnabled(this IDistributedApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return ElementHostOptions.From(builder.Configuration).Enabled;
    }

    /// <summary>
    /// Adds Element Web (pinned image, <c>Dendrite:Client</c> settings) with a generated <c>config.json</c>
    /// that opens on <paramref name="homeserver"/>, served read-only at <c>/app/config.json</c>. Locally it listens
    /// on <c>Dendrite:Client:HostPort</c> (8080); on Kubernetes it is a Deployment with its config in a ConfigMap.
    /// Throws <see cref="DendriteSettingsException"/> at once when the settings are invalid.
    /// </summary>
    /// <example>
    /// <code>
    /// var element = builder.AddElementWeb("element", dendrite);
    /// </code>
    /// </example>
    public static IResourceBuilder<ElementResource> AddElementWeb(this IDistributedApplicationBuilder builder, string name, IResourceBuilder<DendriteResource> homeserver)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(homeserver);

        var options = ElementHostOptions.From(builder.Configuration);
        if (options.Validate() is { Count: > 0 } errors)
        {
            throw new DendriteSettingsException(errors);
        }

        var dendrite = homeserver.Resource;
        var dendriteHost = dendrite.Annotations.OfType<DendriteHostOptions>().Single();
        var ingress = PublicUrls.Ingress(builder.Configuration);
        var context = builder.ExecutionContext;
        var element = new ElementResource(name, dendrite);

        string HomeserverUrl() => PublicUrls.Homeserver(dendrite, context, ingress, () => PublicUrls.Local(dendrite.HttpEndpoint, dendriteHost.HostPort));
        string Config() => ElementConfigFile.Render(HomeserverUrl(), dendrite.Settings.ServerName);

        var resource = builder.AddResource(element)
            .WithImage(options.Image, options.ImageTag)
            .WithImageRegistry(options.Registry)
            .WithAnnotation(options)
            .WithHttpEndpoint(port: options.HostPort == 0 ? null : options.HostPort, targetPort: ElementResource.HttpPort, name: ElementResource.HttpEndpointName)
            .WithAnnotation(new RenderedConfigFileAnnotation(
                ElementResource.AppDirectory,
                ElementResource.ConfigFileName,
                (_, _) => Task.FromResult(Config()))
            {
                HoldsSecrets = false,
                SharesDirectory = true,
            })
            .WithContainerFiles(ElementResource.AppDirectory, (_, _) => Task.FromResult<IEnumerable<ContainerFileSystemItem>>(
                [new ContainerFile { Name = ElementResource.ConfigFileName, Contents = Config(), Mode = ConfigFileMode }]))
            .WithAnnotation(new IngressRoutesAnnotation(ElementResource.HttpEndpointName, ["/"]) { DedicatedHost = nameof(IngressOptions.ClientHost) })
            .WithHttpProbe(ProbeType.Readiness, "/config.json", periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3, endpointName: ElementResource.HttpEndpointName)
            .WithHttpProbe(ProbeType.Liveness, "/", periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 3, endpointName: ElementResource.HttpEndpointName)
            .PublishAsKubernetesDeployment()
            .WaitFor(homeserver)
            .WithUrlForEndpoint(ElementResource.HttpEndpointName, url => url.DisplayText = "Element Web")
            .WithClusterUser(ElementResource.NginxUserId, ElementResource.NginxUserId);
        foreach (var directory in ElementResource.ScratchDirectories)
        {
            resource.WithScratchDirectory(directory);
        }

        return resource;
    }

    /// <summary>The URL people open Element Web at.</summary>
    internal static string PublicUrl(ElementResource element, DistributedApplicationExecutionContext context, IConfiguration configuration)
    {
        var options = element.Annotations.OfType<ElementHostOptions>().Single();
        var ingress = PublicUrls.Ingress(configuration);
        return PublicUrls.App(options.PublicUrl, context, ingress.ClientHost, ingress, () => PublicUrls.Local(element.HttpEndpoint, options.HostPort));
    }
}
