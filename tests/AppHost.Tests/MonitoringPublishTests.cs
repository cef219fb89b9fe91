using System.Text.Json;
using DendriteAspire.Hosting.Kubernetes.Monitoring;
using k8s.Models;

namespace DendriteAspire.AppHost.Tests;

/// <summary>Published once with <c>Dendrite:Kubernetes:Monitoring:Enabled</c> and an Ingress.</summary>
public sealed class MonitoringPublish : IAsyncLifetime
{
    public PublishedManifests Output { get; private set; } = null!;

    public async ValueTask InitializeAsync() =>
        Output = await PublishedManifests.PublishAsync(
            "--Dendrite:Kubernetes:Monitoring:Enabled=true",
            "--Dendrite:Kubernetes:Ingress:Host=matrix.family.example",
            "--Dendrite:Kubernetes:Ingress:JoinHost=join.family.example");

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>
/// <c>Dendrite:Kubernetes:Monitoring</c>: the ServiceMonitor, PrometheusRule and Grafana dashboard for
/// kube-prometheus-stack, checked against the published Service and Ingress and the prometheus-operator CRD schemas
/// (vendored under <c>Crds/</c>).
/// </summary>
public class MonitoringPublishTests(MonitoringPublish published) : IClassFixture<MonitoringPublish>
{
    private static readonly string[] Severities = ["critical", "warning"];
    private static readonly string[] OnboardingPorts = ["8080", "9464"];

    private readonly PublishedManifests _output = published.Output;

    private static string Crd(string file) => Path.Combine(RepositoryRoot.Path, "tests", "AppHost.Tests", "Crds", file);

    [Fact]
    public void ServiceMonitor_selects_the_dendrite_service_and_its_named_port_with_the_login_from_a_secret()
    {
        var monitor = _output.Named<ServiceMonitor>("dendrite");
        var service = _output.Named<V1Service>("dendrite");

        // The selector matches the Service's labels (prometheus-operator selects Services, then their endpoints).
        Assert.All(monitor.Spec.Selector.MatchLabels, label => Assert.Equal(label.Value, service.Metadata.Labels[label.Key]));
        var endpoint = Assert.Single(monitor.Spec.Endpoints);
        // The headless Service matches the selector too; the relabeling keeps only the Service itself (one target).
        var selected = _output.All<V1Service>()
            .Where(s => monitor.Spec.Selector.MatchLabels.All(label => s.Metadata.Labels.TryGetValue(label.Key, out var v) && v == label.Value))
            .Select(s => s.Metadata.Name)
            .ToList();
        var keep = Assert.Single(endpoint.Relabelings!);
        Assert.Equal(("keep", "__meta_kubernetes_service_name"), (keep.Action, Assert.Single(keep.SourceLabels!)));
        Assert.Equal(["dendrite"], selected.Where(n => System.Text.RegularExpressions.Regex.IsMatch(n, $"^(?:{keep.Regex})$")));
        Assert.Contains(service.Spec.Ports, port => port.Name == endpoint.Port);
        Assert.Equal("/metrics", endpoint.Path);

        // kube-prometheus-stack's Prometheus selects by its Helm release name.
        Assert.Equal(MonitoringOptions.DefaultRelease, monitor.Metadata.Labels["release"]);

        var secret = _output.Named<V1Secret>(endpoint.BasicAuth!.Username.Name);
        Assert.Equal(endpoint.BasicAuth.Username.Name, endpoint.BasicAuth.Password.Name);
        Assert.Equal("metrics", secret.StringData[endpoint.BasicAuth.Username.Key]);
        Assert.Equal(Publishing.MetricsPassword, secret.StringData[endpoint.BasicAuth.Password.Key]);
        // The same login Dendrite's config has.
        Assert.Contains($"password: {Publishing.MetricsPassword}", _output.Named<V1Secret>("dendrite-config").StringData["dendrite.yaml"], StringComparison.Ordinal);
    }

    [Fact]
    public void Onboarding_metrics_are_on_a_port_of_their_own_that_the_service_offers_and_its_servicemonitor_scrapes()
    {
        var monitor = _output.Named<ServiceMonitor>("onboarding");
        var service = _output.Named<V1Service>("onboarding");
        Assert.All(monitor.Spec.Selector.MatchLabels, label => Assert.Equal(label.Value, service.Metadata.Labels[label.Key]));
        var endpoint = Assert.Single(monitor.Spec.Endpoints);
        Assert.Equal(("metrics", "/metrics"), (endpoint.Port, endpoint.Path));
        var port = Assert.Single(service.Spec.Ports, p => p.Name == "metrics");
        Assert.Equal(9464, port.Port);

        var container = Assert.Single(_output.Named<V1Deployment>("onboarding").Spec.Template.Spec.Containers);
        Assert.Contains(container.Ports, p => p.Name == "metrics" && p.ContainerPort == 9464);
        Assert.Contains(container.Env, e => e.Name == "Metrics__PrometheusPort" && e.Value == "9464");
        Assert.Contains(container.Env, e => e.Name == "HTTP_PORTS" && e.Value.Split(';').Order().SequenceEqual(OnboardingPorts));

        // Relatives reach onboarding through the Ingress on the Service's http port only.
        Assert.All(_output.Named<V1Ingress>("onboarding").Spec.Rules.SelectMany(r => r.Http.Paths),
            path => Assert.Equal(80, path.Backend.Service.Port.Number));
    }

    [Fact]
    public void The_ingress_never_routes_metrics_to_dendrite()
    {
        var routes = _output.All<V1Ingress>()
            .SelectMany(i => i.Spec.Rules.SelectMany(r => r.Http.Paths.Select(p => (Ingress: i.Metadata.Name, p.Path, p.PathType, Backend: p.Backend.Service.Name))))
            .ToList();
        Assert.NotEmpty(routes);
        Assert.All(routes, route => Assert.Equal("Prefix", route.PathType));
        // A Prefix path matches /metrics only when it is "/" or "/metrics"; neither leads to dendrite.
        Assert.DoesNotContain(routes, route => route.Backend == "dendrite" && (route.Path == "/" || "/metrics".StartsWith(route.Path, StringComparison.Ordinal)));
        Assert.DoesNotContain(routes, route => route.Path.StartsWith("/metrics", StringComparison.Ordinal));
    }

    [Fact]
    public void PrometheusRule_has_every_family_alert_with_a_plain_summary()
    {
        var rule = _output.Named<PrometheusRule>("dendrite");
        Assert.Equal(MonitoringOptions.DefaultRelease, rule.Metadata.Labels["release"]);
        var alerts = Assert.Single(rule.Spec.Groups).Rules;
        Assert.Equal(
            ["DendriteBackupTooOld", "DendriteDown", "DendriteNotReady", "DendriteRequestsFailing", "DendriteSecretMissing", "DendriteSigningKeyMissing", "DendriteVolumeAlmostFull"],
            alerts.Select(a => a.Alert).Order(StringComparer.Ordinal));
        Assert.All(alerts, alert =>
        {
            Assert.False(string.IsNullOrWhiteSpace(alert.Annotations!["summary"]));
            Assert.EndsWith(".", alert.Annotations["summary"], StringComparison.Ordinal);
            Assert.Contains(alert.Labels!["severity"], Severities);
            Assert.Contains("namespace=\"dendrite\"", alert.Expr, StringComparison.Ordinal);
        });
        // Twice the default 24h schedule.
        Assert.Contains("> 172800", alerts.Single(a => a.Alert == "DendriteBackupTooOld").Expr, StringComparison.Ordinal);
        Assert.Contains("kubelet_volume_stats_used_bytes", alerts.Single(a => a.Alert == "DendriteVolumeAlmostFull").Expr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dendrite-servicemonitor.yaml", "monitoring.coreos.com_servicemonitors.yaml")]
    [InlineData("dendrite-prometheusrule.yaml", "monitoring.coreos.com_prometheusrules.yaml")]
    public void Published_objects_conform_to_the_prometheus_operator_crd_schema(string file, string crd)
    {
        var schema = CrdSchema.Load(Crd(crd), "v1");
        var document = Assert.Single(CrdSchema.Parse(_output.Files[file]));
        Assert.Empty(CrdSchema.Violations(schema, document));
    }

    [Fact]
    public void Schema_check_finds_a_misspelt_field_and_a_wrong_type()
    {
        var schema = CrdSchema.Load(Crd("monitoring.coreos.com_servicemonitors.yaml"), "v1");
        var document = Assert.Single(CrdSchema.Parse(_output.Files["dendrite-servicemonitor.yaml"]
            .Replace("basicAuth:", "basicAuths:", StringComparison.Ordinal)
            .Replace("interval: 30s", "interval: [30s]", StringComparison.Ordinal)));
        var violations = CrdSchema.Violations(schema, document);
        Assert.Contains(violations, v => v.Contains("basicAuths: unknown field", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("interval: must be a string", StringComparison.Ordinal));
    }

    [Fact]
    public void Grafana_dashboard_is_a_configmap_the_sidecar_loads_and_holds_no_secret()
    {
        var map = _output.Named<V1ConfigMap>("dendrite-grafana-dashboard");
        Assert.Equal("1", map.Metadata.Labels["grafana_dashboard"]);
        using var dashboard = JsonDocument.Parse(Assert.Single(map.Data).Value);
        Assert.Equal(GrafanaDashboard.Uid, dashboard.RootElement.GetProperty("uid").GetString());
        var expressions = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString()!)).ToList();
        Assert.Contains(expressions, e => e.Contains("dendrite_syncapi_active_sync_requests", StringComparison.Ordinal));
        Assert.Contains(expressions, e => e.Contains("kubelet_volume_stats_used_bytes", StringComparison.Ordinal));
        Assert.Contains(expressions, e => e.Contains("kube_cronjob_status_last_successful_time", StringComparison.Ordinal));

        Assert.All(_output.All<V1ConfigMap>(), configMap =>
            Assert.All(configMap.Data ?? new Dictionary<string, string>(), entry => Assert.DoesNotContain(Publishing.MetricsPassword, entry.Value, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_release_label_is_a_setting()
    {
        var output = await PublishedManifests.PublishAsync("--Dendrite:Kubernetes:Monitoring:Enabled=true", "--Dendrite:Kubernetes:Monitoring:Release=prometheus");
        Assert.Equal("prometheus", output.Named<ServiceMonitor>("dendrite").Metadata.Labels["release"]);
        Assert.Equal("prometheus", output.Named<PrometheusRule>("dendrite").Metadata.Labels["release"]);
    }

    [Fact]
    public async Task Without_the_setting_nothing_for_monitoring_is_published()
    {
        var output = await PublishedManifests.PublishAsync();
        Assert.Empty(output.All<ServiceMonitor>());
        Assert.Empty(output.All<PrometheusRule>());
        Assert.DoesNotContain(output.Files.Keys, f => f.Contains("grafana", StringComparison.Ordinal) || f.Contains("metrics", StringComparison.Ordinal));
    }
}
