using DendriteAspire.ConfigRenderer.Settings;

namespace DendriteAspire.Hosting;

/// <summary>
/// Everything <see cref="DendriteBuilderExtensions.AddDendrite"/> needs: the settings <c>dendrite.yaml</c> is rendered
/// from, and the host's own choices (image, volume names, host port, lifetime, public host names). The AppHost binds
/// them from the <c>Dendrite</c> section (<see cref="Configuration.DendriteConfiguration.Bind"/>); a test or a second
/// AppHost can make them in code.
/// </summary>
public sealed class DendriteOptions
{
    /// <summary>What the family admin chose for the homeserver itself (server name, database, federation, ...).</summary>
    public DendriteSettings Settings { get; init; } = new();

    /// <summary>The image's registry, e.g. <c>docker.io</c>.</summary>
    public string Registry { get; init; } = DendriteContainerImageTags.Registry;

    /// <summary>The image, e.g. <c>matrixdotorg/dendrite-monolith</c>.</summary>
    public string Image { get; init; } = DendriteContainerImageTags.Image;

    /// <summary>A release tag, e.g. <c>v0.15.2</c>; never <c>latest</c>.</summary>
    public string ImageTag { get; init; } = DendriteContainerImageTags.Tag;

    /// <summary>
    /// Prefix of the named volumes (<c>&lt;prefix&gt;-jetstream</c>, ...). Fixed rather than derived from the
    /// AppHost's path, so the state survives moving the checkout and the committed manifest is the same everywhere.
    /// </summary>
    public string VolumePrefix { get; init; } = DendriteHostOptions.DefaultVolumePrefix;

    /// <summary>The host port for the client API; 0 lets Aspire choose one.</summary>
    public int HostPort { get; init; } = DendriteResource.HttpPort;

    /// <summary>
    /// Whether Dendrite and its key step stop with the AppHost (<see cref="ContainerLifetime.Session"/>, the default) or
    /// keep running across AppHost restarts (<see cref="ContainerLifetime.Persistent"/>).
    /// </summary>
    public ContainerLifetime Lifetime { get; init; } = ContainerLifetime.Session;

    /// <summary>The host names people use, when published behind an Ingress; the Kubernetes environment gets the same.</summary>
    public PublicHosts PublicHosts { get; init; } = new();
}
