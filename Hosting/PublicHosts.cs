namespace DendriteAspire.Hosting;

/// <summary>
/// The host names people type or click when the model is published behind an Ingress
/// (<c>Dendrite:Kubernetes:Ingress:Host</c>, <c>ClientHost</c>, <c>JoinHost</c>). Bound once; the resources derive
/// their public URLs from it and the Kubernetes environment publishes the Ingress rules for the same hosts, so the two
/// sides never disagree. Unset hosts mean: no Ingress, people use the local address (or a port-forward).
/// </summary>
public sealed class PublicHosts : IResourceAnnotation
{
    /// <summary>The homeserver's host, e.g. <c>matrix.family.example</c>; the other apps' paths live there too.</summary>
    public string? Homeserver { get; init; }

    /// <summary>A host of Element Web's own, e.g. <c>chat.family.example</c>; unset puts it at <c>/</c> on <see cref="Homeserver"/>.</summary>
    public string? Client { get; init; }

    /// <summary>A host of the onboarding service's own, e.g. <c>join.family.example</c>; unset puts its paths on <see cref="Homeserver"/>.</summary>
    public string? Join { get; init; }
}
