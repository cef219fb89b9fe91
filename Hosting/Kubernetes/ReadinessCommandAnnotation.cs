namespace DendriteAspire.Hosting.Kubernetes;

/// <summary>
/// A command from the resource's own image that exits 0 once the resource accepts connections on an endpoint
/// (for Postgres, <c>pg_isready</c>). On a cluster it becomes the resource's exec probes, run against
/// <c>127.0.0.1</c>, and the init container of every workload that waits for the resource, run against its Service.
/// </summary>
/// <param name="EndpointName">The endpoint whose port is checked.</param>
/// <param name="Command">The command line for a host and port.</param>
public sealed record ReadinessCommandAnnotation(string EndpointName, Func<string, int, IReadOnlyList<string>> Command) : IResourceAnnotation;
