using DendriteAspire.Hosting.Kubernetes;

namespace DendriteAspire.Hosting;

/// <summary>Adds Element Web, preconfigured for a Dendrite homeserver.</summary>
public static class ElementBuilderExtensions
{
    /// <summary>Read-only for everyone: the file holds no secrets, and nginx may run as any user.</summary>
    private const UnixFileMode ConfigFileMode = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>
    /// Adds Element Web (pinned image) with a generated <c>config.json</c> that opens on <paramref name="homeserver"/>,
    /// served read-only at <c>/app/config.json</c>. Locally it listens on <see cref="ElementWebOptions.HostPort"/>
    /// (8080); on Kubernetes it is a Deployment with its config in a ConfigMap, nginx on the unprivileged port 8080 (a
    /// site config from the same ConfigMap), on the homeserver's public host or a host of its own
    /// (<see cref="PublicHosts.Client"/>). Throws <see cref="DendriteSettingsException"/> at once when
    /// the options are invalid.
    /// </summary>
    /// <param name="builder">The app model builder.</param>
    /// <param name="name">The resource name.</param>
    /// <param name="homeserver">The homeserver Element opens on; its <see cref="PublicHosts"/> are Element's too.</param>
    /// <param name="options">Element's options, from <see cref="Configuration.DendriteConfiguration.Bind"/> or made in code.</param>
    /// <returns>The Element Web resource builder.</returns>
    /// <example>
    /// <code>
    /// var element = builder.AddElementWeb("element", dendrite, settings.Client);
    /// </code>
    /// </example>
    public static IResourceBuilder<ElementResource> AddElementWeb(this IDistributedApplicationBuilder builder, [ResourceName] string name, IResourceBuilder<DendriteResource> homeserver, ElementWebOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(homeserver);
        ArgumentNullException.ThrowIfNull(options);

        if (options.Validate() is { Count: > 0 } errors)
        {
            throw new DendriteSettingsException(errors);
        }

        var dendrite = homeserver.Resource;
        var dendriteHost = dendrite.Annotations.OfType<DendriteHostOptions>().Single();
        var hosts = dendrite.Annotations.OfType<PublicHosts>().Single();
        var context = builder.ExecutionContext;
        var element = new ElementResource(name, dendrite);

        string HomeserverUrl() => PublicUrls.Homeserver(dendrite, context, hosts, () => PublicUrls.Local(dendrite.HttpEndpoint, dendriteHost.HostPort));
        string Config() => ElementConfigFile.Render(HomeserverUrl(), dendrite.Settings.ServerName);

        var resource = builder.AddResource(element)
            .WithImage(options.Image, options.ImageTag)
            .WithImageRegistry(options.Registry)
            .WithAnnotation(options)
            .WithHttpEndpoint(port: options.HostPort == 0 ? null : options.HostPort, targetPort: context.IsPublishMode ? ElementResource.ClusterHttpPort : ElementResource.HttpPort, name: ElementResource.HttpEndpointName)
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
            .WithAnnotation(new IngressRoutesAnnotation(ElementResource.HttpEndpointName, ["/"]) { DedicatedHost = hosts.Client })
            .WithHttpProbe(ProbeType.Readiness, "/config.json", periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3, endpointName: ElementResource.HttpEndpointName)
            .WithHttpProbe(ProbeType.Liveness, "/", periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 3, endpointName: ElementResource.HttpEndpointName)
            .PublishAsKubernetesDeployment()
            .WaitFor(homeserver)
            .WithUrlForEndpoint(ElementResource.HttpEndpointName, url => url.DisplayText = "Element Web")
            .WithClusterUser(ElementResource.NginxUserId, ElementResource.NginxUserId);
        if (context.IsPublishMode)
        {
            // The pod cannot bind port 80 (no capabilities, non-root): its own site config moves nginx to 8080, and
            // the Service's named target port follows.
            resource.WithAnnotation(new RenderedConfigFileAnnotation(
                ElementResource.SiteConfigDirectory,
                ElementResource.SiteConfigFileName,
                (_, _) => Task.FromResult(ElementSiteConfigFile.Render(ElementResource.ClusterHttpPort)))
            {
                HoldsSecrets = false,
            });
        }

        foreach (var directory in ElementResource.ScratchDirectories)
        {
            resource.WithScratchDirectory(directory);
        }

        return resource;
    }

    /// <summary>The URL people open Element Web at.</summary>
    internal static string PublicUrl(ElementResource element, DistributedApplicationExecutionContext context)
    {
        var options = element.Annotations.OfType<ElementWebOptions>().Single();
        var hosts = element.Homeserver.Annotations.OfType<PublicHosts>().Single();
        return PublicUrls.App(options.PublicUrl, context, hosts.Client, hosts, () => PublicUrls.Local(element.HttpEndpoint, options.HostPort));
    }
}
