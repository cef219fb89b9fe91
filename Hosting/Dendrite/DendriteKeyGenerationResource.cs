namespace DendriteAspire.Hosting;

/// <summary>
/// The one-shot container that creates Dendrite's signing key on the <c>storage-keys</c> volume when none exists.
/// Locally it runs before Dendrite (Dendrite waits for it to complete); on Kubernetes it is Dendrite's init container.
/// </summary>
/// <param name="name">The resource name, <c>&lt;dendrite&gt;-keygen</c>.</param>
/// <param name="homeserver">The homeserver whose key it makes.</param>
public sealed class DendriteKeyGenerationResource(string name, DendriteResource homeserver) : ContainerResource(name)
{
    /// <summary>The homeserver whose key this step guards.</summary>
    public DendriteResource Homeserver { get; } = homeserver;
}
