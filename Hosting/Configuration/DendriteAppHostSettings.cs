using DendriteAspire.Hosting.Kubernetes;

namespace DendriteAspire.Hosting.Configuration;

/// <summary>
/// The whole <c>Dendrite</c> configuration section, typed and checked: one options object per <c>AddX</c>. Made by
/// <see cref="DendriteConfiguration.Bind"/>; the AppHost passes each part to the call that needs it.
/// </summary>
public sealed class DendriteAppHostSettings
{
    /// <summary>The homeserver: settings, image, volumes, host port, lifetime and public hosts.</summary>
    public DendriteOptions Dendrite { get; init; } = new();

    /// <summary>The first admin (<c>Dendrite:Admin</c>).</summary>
    public BootstrapAdminOptions Admin { get; init; } = new();

    /// <summary>Element Web (<c>Dendrite:Client</c>).</summary>
    public ElementWebOptions Client { get; init; } = new();

    /// <summary>The onboarding service (<c>Dendrite:Onboarding</c>, <c>Dendrite:Family</c>).</summary>
    public FamilyOnboardingOptions Onboarding { get; init; } = new();

    /// <summary>Backups of the local run (<c>Dendrite:Backup</c>).</summary>
    public DendriteBackupOptions Backup { get; init; } = new();

    /// <summary>The home cluster (<c>Dendrite:Kubernetes</c>).</summary>
    public KubernetesPublishOptions Kubernetes { get; init; } = new();
}
