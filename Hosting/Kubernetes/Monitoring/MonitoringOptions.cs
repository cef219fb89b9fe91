namespace DendriteAspire.Hosting.Kubernetes.Monitoring;

/// <summary>
/// <c>Dendrite:Kubernetes:Monitoring</c>: objects for a cluster that runs kube-prometheus-stack (the Prometheus operator,
/// kube-state-metrics and Grafana with its dashboard sidecar).
/// </summary>
public sealed class MonitoringOptions
{
    /// <summary>The <c>release</c> label kube-prometheus-stack selects by, when nothing is set: its usual release name.</summary>
    public const string DefaultRelease = "kube-prometheus-stack";

    /// <summary>Publish a ServiceMonitor for Dendrite and onboarding, a PrometheusRule and a Grafana dashboard.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// The value of the <c>release</c> label on the ServiceMonitors and the PrometheusRule. kube-prometheus-stack's
    /// Prometheus selects only objects labelled <c>release: &lt;its Helm release name&gt;</c> (its values
    /// <c>serviceMonitorSelectorNilUsesHelmValues</c> and <c>ruleSelectorNilUsesHelmValues</c> are true by default), so
    /// set this to the name you installed the chart under.
    /// </summary>
    public string Release { get; set; } = DefaultRelease;
}
