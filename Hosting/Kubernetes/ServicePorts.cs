namespace DendriteAspire.Hosting.Kubernetes;

/// <summary>
/// The port a Service offers for an endpoint: plain HTTP on 80 (as the origin deployment did, 80 to 8008),
/// anything else on its container port (Postgres 5432, federation 8448).
/// </summary>
internal static class ServicePorts
{
    public static int For(EndpointAnnotation endpoint) =>
        endpoint.UriScheme == "http" ? 80 : ContainerPort(endpoint);

    public static int ContainerPort(EndpointAnnotation endpoint) =>
        endpoint.TargetPort ?? endpoint.Port
        ?? throw new KubernetesPublishException($"Endpoint '{endpoint.Name}' has no target port; give it one with WithEndpoint(targetPort: ...).");
}
