namespace DendriteAspire.Hosting;

/// <summary>The URL paths of an endpoint that belong on the public ingress, when one is configured.</summary>
/// <param name="EndpointName">The endpoint the paths are served on.</param>
/// <param name="Paths">Path prefixes, in order.</param>
public sealed record IngressRoutesAnnotation(string EndpointName, IReadOnlyList<string> Paths) : IResourceAnnotation
{
    /// <summary>
    /// The <c>Ingress</c> setting naming a host of this resource's own (<c>ClientHost</c>, <c>JoinHost</c>). When
    /// that host is set the resource gets all of it; otherwise its <see cref="Paths"/> go on the main host.
    /// </summary>
    public string? DedicatedHost { get; init; }
}
