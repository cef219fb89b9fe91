using System.Globalization;

namespace DendriteAspire.Hosting.Kubernetes.Monitoring;

/// <summary>
/// The alerts a family needs, each with a summary a non-expert understands. The series come from Dendrite's own
/// <c>/metrics</c> (through its ServiceMonitor: <c>up</c>), kube-state-metrics (<c>kube_statefulset_*</c>,
/// <c>kube_cronjob_status_last_successful_time</c>, <c>kube_secret_info</c>, <c>kube_persistentvolumeclaim_*</c>),
/// the kubelet (<c>kubelet_volume_stats_*</c>) and ingress-nginx (<c>nginx_ingress_controller_requests</c>): Dendrite
/// v0.15.2 counts no responses by status code, so the 5xx rate is the Ingress controller's view.
/// </summary>
public static class DendriteAlerts
{
    /// <summary>The rule group's name.</summary>
    public const string GroupName = "dendrite-aspire";

    /// <summary>The rules for the Dendrite workload <paramref name="dendrite"/> in <paramref name="ns"/>.</summary>
    /// <param name="ns">The namespace everything is published to.</param>
    /// <param name="dendrite">The Dendrite resource's name (its StatefulSet, Service and job label).</param>
    /// <param name="backupEvery">How often backups run; null: no backup alert.</param>
    /// <returns>One rule group.</returns>
    public static RuleGroup For(string ns, string dendrite, TimeSpan? backupEvery)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ns);
        ArgumentException.ThrowIfNullOrWhiteSpace(dendrite);
        var rules = new List<AlertRule>
        {
            Rule("DendriteDown",
                $"(sum(up{{namespace=\"{ns}\", job=\"{dendrite}\"}}) or vector(0)) == 0", "5m", "critical",
                "The family's chat server is down.",
                "Prometheus has not reached the homeserver's /metrics for 5 minutes: nobody can send or receive messages. Check the dendrite pod (kubectl -n " + ns + " get pods) and its log."),
            Rule("DendriteNotReady",
                $"kube_statefulset_status_replicas_ready{{namespace=\"{ns}\", statefulset=\"{dendrite}\"}} < kube_statefulset_replicas{{namespace=\"{ns}\", statefulset=\"{dendrite}\"}}", "10m", "warning",
                "The family's chat server is running but not ready.",
                "The homeserver's pod has not passed its health check for 10 minutes (starting, stuck, or its database is unreachable)."),
            Rule("DendriteRequestsFailing",
                $"sum(rate(nginx_ingress_controller_requests{{exported_namespace=\"{ns}\", ingress=\"{dendrite}\", status=~\"5..\"}}[5m])) "
                + $"/ sum(rate(nginx_ingress_controller_requests{{exported_namespace=\"{ns}\", ingress=\"{dendrite}\"}}[5m])) > 0.05", "10m", "warning",
                "Many requests to the chat server are failing.",
                "More than 5% of requests through the Ingress answered with a server error (5xx) for 10 minutes. Look at the dendrite log. (Needs ingress-nginx's metrics; with another controller this alert stays quiet.)"),
            Rule("DendriteVolumeAlmostFull",
                $"kubelet_volume_stats_used_bytes{{namespace=\"{ns}\"}} / kubelet_volume_stats_capacity_bytes{{namespace=\"{ns}\"}} > 0.8", "15m", "warning",
                "A storage volume of the chat server is over 80% full.",
                "Claim {{ $labels.persistentvolumeclaim }} is {{ $value | humanizePercentage }} full. When it is full, messages or photos can no longer be saved: make it bigger (Dendrite:Kubernetes:VolumeSizes) or clean up."),
            Rule("DendriteSecretMissing",
                $"absent(kube_secret_info{{namespace=\"{ns}\", secret=\"{dendrite}-config\"}})", "5m", "critical",
                "The chat server's configuration is missing.",
                $"The Secret {dendrite}-config (dendrite.yaml) is gone: the homeserver will not start again after a restart. Re-apply the published manifests."),
            Rule("DendriteSigningKeyMissing",
                $"absent(kube_persistentvolumeclaim_status_phase{{namespace=\"{ns}\", persistentvolumeclaim=\"storage-keys-{dendrite}-0\", phase=\"Bound\"}} == 1)", "5m", "critical",
                "The chat server's signing key storage is missing.",
                $"The claim storage-keys-{dendrite}-0, which holds the server's signing key, is missing or not bound. Do not let a new key be made: restore the claim from a backup."),
        };

        if (backupEvery is { } every)
        {
            var limit = (long)(2 * every.TotalSeconds);
            rules.Add(Rule("DendriteBackupTooOld",
                $"time() - max(kube_cronjob_status_last_successful_time{{namespace=\"{ns}\", cronjob=~\"{dendrite}-backup.*\"}}) > {limit.ToString(CultureInfo.InvariantCulture)}", "15m", "warning",
                "The chat server has not been backed up for too long.",
                $"The last successful backup is older than twice its schedule ({Hours(2 * every)}). If the server's disk failed now, recent messages would be lost. Look at the backup job's log."));
        }

        return new RuleGroup { Name = GroupName, Rules = rules };
    }

    private static string Hours(TimeSpan span) => span.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours:0.#} hours")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0} minutes");

    private static AlertRule Rule(string name, string expr, string @for, string severity, string summary, string description) => new()
    {
        Alert = name,
        Expr = expr,
        For = @for,
        Labels = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["severity"] = severity },
        Annotations = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["description"] = description, ["summary"] = summary },
    };
}
