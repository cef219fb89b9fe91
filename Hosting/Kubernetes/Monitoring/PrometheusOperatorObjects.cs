using k8s;
using k8s.Models;

namespace DendriteAspire.Hosting.Kubernetes.Monitoring;

// Typed prometheus-operator objects (monitoring.coreos.com/v1), only the fields this publisher writes. The publisher
// serializes them like every KubernetesClient model (camelCase names, nulls left out); the AppHost tests check the
// output against the operator's own CRD schemas (tests/AppHost.Tests/Crds).

/// <summary>A <c>ServiceMonitor</c>: which Service port Prometheus scrapes, how often and with which login.</summary>
public sealed class ServiceMonitor : IKubernetesObject<V1ObjectMeta>
{
    /// <summary>Always <c>monitoring.coreos.com/v1</c>.</summary>
    public string ApiVersion { get; set; } = "monitoring.coreos.com/v1";

    /// <summary>Always <c>ServiceMonitor</c>.</summary>
    public string Kind { get; set; } = "ServiceMonitor";

    /// <summary>Name, namespace and labels (the release label selects it).</summary>
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>What to scrape.</summary>
    public ServiceMonitorSpec Spec { get; set; } = new();
}

/// <summary>The spec of a <see cref="ServiceMonitor"/>.</summary>
public sealed class ServiceMonitorSpec
{
    /// <summary>The Services whose endpoints are scraped.</summary>
    public V1LabelSelector Selector { get; set; } = new();

    /// <summary>The ports of those Services, by name.</summary>
    public IList<MonitorEndpoint> Endpoints { get; set; } = [];
}

/// <summary>One scraped port of a <see cref="ServiceMonitor"/>.</summary>
public sealed class MonitorEndpoint
{
    /// <summary>The Service port's name.</summary>
    public string? Port { get; set; }

    /// <summary>The HTTP path, e.g. <c>/metrics</c>.</summary>
    public string? Path { get; set; }

    /// <summary><c>http</c> or <c>https</c>.</summary>
    public string? Scheme { get; set; }

    /// <summary>How often, e.g. <c>30s</c>.</summary>
    public string? Interval { get; set; }

    /// <summary>How long a scrape may take, e.g. <c>10s</c>.</summary>
    public string? ScrapeTimeout { get; set; }

    /// <summary>A basic-auth login read from a Secret in the ServiceMonitor's namespace.</summary>
    public MonitorBasicAuth? BasicAuth { get; set; }

    /// <summary>Relabelings applied to each target before it is scraped (e.g. keep one Service of several).</summary>
    public IList<RelabelConfig>? Relabelings { get; set; }
}

/// <summary>One Prometheus relabeling step.</summary>
public sealed class RelabelConfig
{
    /// <summary>The labels whose values are joined and matched.</summary>
    public IList<string>? SourceLabels { get; set; }

    /// <summary>The regular expression the joined value must match (fully).</summary>
    public string? Regex { get; set; }

    /// <summary>What to do, e.g. <c>keep</c>.</summary>
    public string? Action { get; set; }
}

/// <summary>Basic auth from Secret keys.</summary>
public sealed class MonitorBasicAuth
{
    /// <summary>The Secret key holding the user name.</summary>
    public V1SecretKeySelector Username { get; set; } = new();

    /// <summary>The Secret key holding the password.</summary>
    public V1SecretKeySelector Password { get; set; } = new();
}

/// <summary>A <c>PrometheusRule</c>: alerting rules the operator loads into Prometheus.</summary>
public sealed class PrometheusRule : IKubernetesObject<V1ObjectMeta>
{
    /// <summary>Always <c>monitoring.coreos.com/v1</c>.</summary>
    public string ApiVersion { get; set; } = "monitoring.coreos.com/v1";

    /// <summary>Always <c>PrometheusRule</c>.</summary>
    public string Kind { get; set; } = "PrometheusRule";

    /// <summary>Name, namespace and labels (the release label selects it).</summary>
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>The rule groups.</summary>
    public PrometheusRuleSpec Spec { get; set; } = new();
}

/// <summary>The spec of a <see cref="PrometheusRule"/>.</summary>
public sealed class PrometheusRuleSpec
{
    /// <summary>Rule groups, evaluated independently.</summary>
    public IList<RuleGroup> Groups { get; set; } = [];
}

/// <summary>A named group of rules (the shape of a Prometheus rule file's group, which promtool reads too).</summary>
public sealed class RuleGroup
{
    /// <summary>The group's name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The rules.</summary>
    public IList<AlertRule> Rules { get; set; } = [];
}

/// <summary>An alerting rule.</summary>
public sealed class AlertRule
{
    /// <summary>The alert's name, e.g. <c>DendriteDown</c>.</summary>
    public string Alert { get; set; } = "";

    /// <summary>The PromQL expression; every series it returns is a firing alert.</summary>
    public string Expr { get; set; } = "";

    /// <summary>How long the expression must hold before the alert fires, e.g. <c>5m</c>.</summary>
    public string? For { get; set; }

    /// <summary>Labels, e.g. <c>severity</c>.</summary>
    public IDictionary<string, string>? Labels { get; set; }

    /// <summary><c>summary</c> (plain words for the family admin) and <c>description</c>.</summary>
    public IDictionary<string, string>? Annotations { get; set; }
}
