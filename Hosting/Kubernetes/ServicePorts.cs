namespace DendriteAspire.Hosting.Kubernetes;

/// <summary>
/// The port a Service offers for an endpoint: the plain-HTTP endpoint named <c>http</c> on 80 (as the origin deployment
/// did, 80 to 8008), anything else on its container port (Postgres 5432, federation 8448, onboarding's metrics 9464).
/// </summary>
internal static class ServicePorts
{
    public static int For(EndpointAnnotation endpoint) =>
        endpoint.UriScheme == "http" && endpoint.Name == "http" ? 80 : ContainerPort(endpoint);

    public static int ContainerPort(EndpointAnnotation endpoint) =>
        endpoint.TargetPort ?? endpoint.Port
        ?? throw new KubernetesPublishException($"Endpoint '{endpoint.Name}' has no target port; give it one with WithEndpoint(targetPort: ...).");
}
