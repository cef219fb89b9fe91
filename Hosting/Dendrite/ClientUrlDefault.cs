using DendriteAspire.Hosting.Kubernetes;
using Microsoft.Extensions.Configuration;

namespace DendriteAspire.Hosting;

/// <summary>
/// The client URL (<c>m.homeserver.base_url</c>) when <c>Dendrite:WellKnown:ClientUrl</c> is not set. The local
/// default lives here, for the local run only, so a publish never inherits a <c>localhost</c> URL by accident:
/// locally it is <c>http://localhost:&lt;HostPort&gt;</c>; published, it is <c>https://&lt;Ingress:Host&gt;</c> when an
/// ingress is configured, and otherwise unset (no client well-known document).
/// </summary>
internal static class ClientUrlDefault
{
    public static string? For(DistributedApplicationExecutionContext executionContext, DendriteHostOptions host, IConfiguration configuration)
    {
        if (executionContext.IsRunMode)
        {
            return host.HostPort > 0 ? $"http://localhost:{host.HostPort}" : null;
        }

        var ingressHost = configuration[$"{KubernetesPublishOptions.SectionName}:Ingress:Host"];
        return string.IsNullOrWhiteSpace(ingressHost) ? null : $"https://{ingressHost.Trim()}";
    }
}
