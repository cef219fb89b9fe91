using k8s.Models;

namespace DendriteAspire.Hosting.Kubernetes;

/// <summary>
/// The optional Ingress: the paths a resource declares public, on the main host; or all of a host of its own when
/// its <see cref="IngressRoutesAnnotation.DedicatedHost"/> setting is set (TLS Secret <c>&lt;TlsSecretName&gt;-&lt;resource&gt;</c>).
/// </summary>
internal static class IngressManifest
{
    public static PublishedObject? For(IResource resource, KubernetesPublishOptions options)
    {
        var routes = resource.Annotations.OfType<IngressRoutesAnnotation>().SingleOrDefault();
        var ingress = options.Ingress;
        if (routes is null || string.IsNullOrWhiteSpace(ingress.Host))
        {
            return null;
        }

        var dedicated = routes.DedicatedHost;
        var host = string.IsNullOrWhiteSpace(dedicated) ? ingress.Host : dedicated.Trim();
        var paths = string.IsNullOrWhiteSpace(dedicated) ? routes.Paths : ["/"];
        var tlsSecretName = string.IsNullOrWhiteSpace(ingress.TlsSecretName) ? null
            : string.IsNullOrWhiteSpace(dedicated) ? ingress.TlsSecretName
            : $"{ingress.TlsSecretName}-{resource.Name}";

        var endpoint = resource.Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == routes.EndpointName);
        var backend = new V1IngressBackend
        {
            Service = new V1IngressServiceBackend { Name = resource.Name, Port = new V1ServiceBackendPort { Number = ServicePorts.For(endpoint) } },
        };

        var annotations = new SortedDictionary<string, string>(ingress.Annotations, StringComparer.Ordinal);
        var manifest = new V1Ingress
        {
            ApiVersion = "networking.k8s.io/v1",
            Kind = "Ingress",
            Metadata = new V1ObjectMeta
            {
                Name = resource.Name,
                NamespaceProperty = options.Namespace,
                Labels = KubernetesLabels.For(resource.Name),
                Annotations = annotations.Count > 0 ? annotations : null,
            },
            Spec = new V1IngressSpec
            {
                IngressClassName = string.IsNullOrWhiteSpace(ingress.ClassName) ? null : ingress.ClassName,
                Tls = tlsSecretName is null ? null : [new V1IngressTLS { Hosts = [host], SecretName = tlsSecretName }],
                Rules =
                [
                    new V1IngressRule
                    {
                        Host = host,
                        Http = new V1HTTPIngressRuleValue
                        {
                            Paths = [.. paths.Select(path => new V1HTTPIngressPath { Path = path, PathType = "Prefix", Backend = backend })],
                        },
                    },
                ],
            },
        };

        return new($"{resource.Name}-ingress.yaml", manifest);
    }
}
