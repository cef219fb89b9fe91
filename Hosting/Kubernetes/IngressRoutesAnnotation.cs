namespace DendriteAspire.Hosting.Kubernetes;

/// <summary>The URL paths of an endpoint that belong on the public ingress, when one is configured.</summary>
/// <param name="EndpointName">The endpoint the paths are served on.</param>
/// <param name="Paths">Path prefixes, in order.</param>
public sealed record IngressRoutesAnnotation(string EndpointName, IReadOnlyList<string> Paths) : IResourceAnnotation
{
    /// <summary>
    /// A host of this resource's own (e.g. <c>chat.family.example</c>). When set, the resource gets all of it;
    /// otherwise its <see cref="Paths"/> go on the main host (<see cref="IngressOptions.Host"/>).
    /// </summary>
    public string? DedicatedHost { get; init; }
}
