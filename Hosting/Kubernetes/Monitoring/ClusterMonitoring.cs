using k8s.Models;

namespace DendriteAspire.Hosting.Kubernetes.Monitoring;

/// <summary>
/// With <c>Dendrite:Kubernetes:Monitoring:Enabled</c>, Dendrite's contribution to the Kubernetes output: a Secret with
/// the metrics login (for Prometheus only), a ServiceMonitor scraping <c>/metrics</c> on the Service's <c>http</c>
/// port with it, a PrometheusRule (<see cref="DendriteAlerts"/>) and the Grafana dashboard ConfigMap
/// (<see cref="GrafanaDashboard"/>). The Ingress never routes <c>/metrics</c>: it carries only Dendrite's public paths.
/// </summary>
internal static class ClusterMonitoring
{
    public const string ReleaseLabel = "release";
    public const string UserNameKey = "username";
    public const string PasswordKey = "password";
    public const string ScrapeInterval = "30s";

    public static void Add(IResourceBuilder<DendriteResource> dendrite) =>
        dendrite.WithKubernetesObjects(context => AddAsync(context, dendrite.Resource));

    private static async Task AddAsync(KubernetesObjectsContext context, DendriteResource dendrite)
    {
        var monitoring = context.Options.Monitoring;
        if (!monitoring.Enabled)
        {
            return;
        }

        if (dendrite.MetricsPassword is not { } password || !dendrite.Settings.Metrics.Enabled)
        {
            throw new KubernetesPublishException(
                "Dendrite:Kubernetes:Monitoring:Enabled needs Dendrite's metrics: remove Dendrite:Metrics:Enabled=false (metrics are on by default, behind basic auth).");
        }

        var ns = context.Options.Namespace;
        var name = dendrite.Name;
        var secretName = $"{name}-metrics";
        context.Add($"{secretName}-secret.yaml", new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = Metadata(secretName, ns, name, null),
            Type = "Opaque",
            StringData = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                [UserNameKey] = DendriteResource.MetricsUserName,
                [PasswordKey] = await context.ResolveAsync(password).ConfigureAwait(false),
            },
        });

        context.Add($"{name}-servicemonitor.yaml", new ServiceMonitor
        {
            Metadata = Metadata(name, ns, name, monitoring.Release),
            Spec = new ServiceMonitorSpec
            {
                Selector = new V1LabelSelector { MatchLabels = KubernetesLabels.Selector(name) },
                Endpoints =
                [
                    new MonitorEndpoint
                    {
                        Port = DendriteResource.HttpEndpointName,
                        Path = DendriteResource.MetricsPath,
                        Scheme = "http",
                        Interval = ScrapeInterval,
                        BasicAuth = new MonitorBasicAuth
                        {
                            Username = new V1SecretKeySelector { Name = secretName, Key = UserNameKey },
                            Password = new V1SecretKeySelector { Name = secretName, Key = PasswordKey },
                        },
                        Relabelings = [OnlyService(name)],
                    },
                ],
            },
        });

        var backupEvery = dendrite.Annotations.OfType<DendriteBackups>().SingleOrDefault()?.Settings.Every;
        context.Add($"{name}-prometheusrule.yaml", new PrometheusRule
        {
            Metadata = Metadata(name, ns, name, monitoring.Release),
            Spec = new PrometheusRuleSpec { Groups = [DendriteAlerts.For(ns, name, backupEvery)] },
        });

        var dashboardLabels = KubernetesLabels.For(name);
        dashboardLabels[GrafanaDashboard.SidecarLabel] = "1";
        context.Add($"{name}-grafana-dashboard-configmap.yaml", new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new V1ObjectMeta { Name = $"{name}-grafana-dashboard", NamespaceProperty = ns, Labels = dashboardLabels },
            Data = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                [$"{name}.json"] = GrafanaDashboard.Json(ns, name, dendrite.Settings.Federation.Enabled),
            },
        });
    }

    /// <summary>The ServiceMonitor for an ASP.NET service's Prometheus port (<c>metrics</c>), no login.</summary>
    internal static ServiceMonitor ForService(string name, string ns, string release, string port, string path) => new()
    {
        Metadata = Metadata(name, ns, name, release),
        Spec = new ServiceMonitorSpec
        {
            Selector = new V1LabelSelector { MatchLabels = KubernetesLabels.Selector(name) },
            Endpoints = [new MonitorEndpoint { Port = port, Path = path, Scheme = "http", Interval = ScrapeInterval, Relabelings = [OnlyService(name)] }],
        },
    };

    /// <summary>
    /// The headless Service of a StatefulSet carries the same labels as its Service; scraping both would count the pod
    /// twice, so only the Service of the workload's own name is kept.
    /// </summary>
    private static RelabelConfig OnlyService(string name) => new()
    {
        SourceLabels = ["__meta_kubernetes_service_name"],
        Regex = name,
        Action = "keep",
    };

    private static V1ObjectMeta Metadata(string name, string ns, string workload, string? release)
    {
        var labels = KubernetesLabels.For(workload);
        if (release is not null)
        {
            labels[ReleaseLabel] = release;
        }

        return new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels };
    }
}
