namespace DendriteAspire.Hosting;

/// <summary>
/// The local, run-mode-only step that makes Dendrite's named volumes belong to the user Dendrite runs as (its cluster
/// user, uid and gid 1000 by default) before the key step and Dendrite start. It changes ownership only when some file
/// belongs to someone else (volumes that an earlier version, a restore or a new volume left to root), and logs what it
/// did or that nothing was needed. A cluster needs no such step: the pod's <c>fsGroup</c> does it there.
/// </summary>
/// <param name="name">The resource name, <c>&lt;dendrite&gt;-volume-owner</c>.</param>
/// <param name="homeserver">The homeserver whose volumes it fixes.</param>
public sealed class DendriteVolumeOwnershipResource(string name, DendriteResource homeserver) : ContainerResource(name)
{
    /// <summary>The homeserver whose volumes this step makes its own.</summary>
    public DendriteResource Homeserver { get; } = homeserver;
}
