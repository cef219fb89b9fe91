namespace DendriteAspire.Hosting;

/// <summary>The URL paths of an endpoint that belong on the public ingress, when one is configured.</summary>
/// <param name="EndpointName">The endpoint the paths are served on.</param>
/// <param name="Paths">Path prefixes, in order.</param>
public sealed record IngressRoutesAnnotation(string EndpointName, IReadOnlyList<string> Paths) : IResourceAnnotation;
