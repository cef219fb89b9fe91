using System.Text.Json;
using System.Text.Json.Nodes;

namespace DendriteAspire.Hosting.Kubernetes.Monitoring;

/// <summary>
/// The Grafana dashboard, as the JSON document Grafana imports (built as a JSON object, not text). The Grafana
/// sidecar of kube-prometheus-stack loads every ConfigMap labelled <c>grafana_dashboard: "1"</c>.
/// </summary>
public static class GrafanaDashboard
{
    /// <summary>The sidecar's label.</summary>
    public const string SidecarLabel = "grafana_dashboard";

    /// <summary>The dashboard's uid (stable, so a re-apply replaces it).</summary>
    public const string Uid = "dendrite-aspire";

    /// <summary>The dashboard for Dendrite <paramref name="dendrite"/> in <paramref name="ns"/>.</summary>
    /// <param name="ns">The namespace.</param>
    /// <param name="dendrite">The Dendrite resource's name.</param>
    /// <param name="federation">Whether the federation panel is shown.</param>
    /// <returns>The dashboard JSON, indented.</returns>
    public static string Json(string ns, string dendrite, bool federation)
    {
        var panels = new List<(string Title, string Unit, string[] Queries)>
        {
            ("Homeserver up", "none", [$"up{{namespace=\"{ns}\", job=\"{dendrite}\"}}"]),
            ("Requests by path (Ingress)", "reqps", [$"sum by (path, status) (rate(nginx_ingress_controller_requests{{exported_namespace=\"{ns}\", ingress=\"{dendrite}\"}}[5m]))"]),
            ("Request latency p95 by path (Ingress)", "s", [$"histogram_quantile(0.95, sum by (le, path) (rate(nginx_ingress_controller_request_duration_seconds_bucket{{exported_namespace=\"{ns}\", ingress=\"{dendrite}\"}}[5m])))"]),
            ("Sending a message p95 (Dendrite)", "ms", [$"histogram_quantile(0.95, sum by (le) (rate(dendrite_clientapi_sendevent_duration_millis_bucket{{namespace=\"{ns}\"}}[5m])))"]),
            ("Syncing clients", "none", [$"dendrite_syncapi_active_sync_requests{{namespace=\"{ns}\"}}", $"dendrite_syncapi_waiting_sync_requests{{namespace=\"{ns}\"}}"]),
            ("Memory against request and limit", "bytes",
            [
                $"sum by (pod) (container_memory_working_set_bytes{{namespace=\"{ns}\", container=\"{dendrite}\"}})",
                $"sum by (pod) (kube_pod_container_resource_requests{{namespace=\"{ns}\", container=\"{dendrite}\", resource=\"memory\"}})",
                $"sum by (pod) (kube_pod_container_resource_limits{{namespace=\"{ns}\", container=\"{dendrite}\", resource=\"memory\"}})",
            ]),
            ("CPU against request", "none",
            [
                $"sum by (pod) (rate(container_cpu_usage_seconds_total{{namespace=\"{ns}\", container=\"{dendrite}\"}}[5m]))",
                $"sum by (pod) (kube_pod_container_resource_requests{{namespace=\"{ns}\", container=\"{dendrite}\", resource=\"cpu\"}})",
            ]),
            ("Volume usage", "percentunit", [$"kubelet_volume_stats_used_bytes{{namespace=\"{ns}\"}} / kubelet_volume_stats_capacity_bytes{{namespace=\"{ns}\"}}"]),
            ("Time since the last successful backup", "s", [$"time() - max(kube_cronjob_status_last_successful_time{{namespace=\"{ns}\", cronjob=~\"{dendrite}-backup.*\"}})"]),
        };
        if (federation)
        {
            panels.Add(("Federation queues", "none",
            [
                $"dendrite_federationapi_destination_queues_running{{namespace=\"{ns}\"}}",
                $"dendrite_federationapi_destination_queues_backing_off{{namespace=\"{ns}\"}}",
            ]));
        }

        var array = new JsonArray();
        for (var i = 0; i < panels.Count; i++)
        {
            var (title, unit, queries) = panels[i];
            var targets = new JsonArray();
            for (var q = 0; q < queries.Length; q++)
            {
                targets.Add(new JsonObject { ["expr"] = queries[q], ["refId"] = ((char)('A' + q)).ToString() });
            }

            array.Add(new JsonObject
            {
                ["id"] = i + 1,
                ["type"] = "timeseries",
                ["title"] = title,
                ["datasource"] = new JsonObject { ["type"] = "prometheus", ["uid"] = "${datasource}" },
                ["gridPos"] = new JsonObject { ["h"] = 8, ["w"] = 12, ["x"] = i % 2 * 12, ["y"] = i / 2 * 8 },
                ["fieldConfig"] = new JsonObject { ["defaults"] = new JsonObject { ["unit"] = unit }, ["overrides"] = new JsonArray() },
                ["targets"] = targets,
            });
        }

        var dashboard = new JsonObject
        {
            ["uid"] = Uid,
            ["title"] = "Family homeserver (Dendrite)",
            ["tags"] = new JsonArray("dendrite", "matrix"),
            ["timezone"] = "browser",
            ["schemaVersion"] = 39,
            ["refresh"] = "1m",
            ["time"] = new JsonObject { ["from"] = "now-24h", ["to"] = "now" },
            ["templating"] = new JsonObject
            {
                ["list"] = new JsonArray(new JsonObject
                {
                    ["name"] = "datasource",
                    ["type"] = "datasource",
                    ["query"] = "prometheus",
                    ["label"] = "Data source",
                }),
            },
            ["panels"] = array,
        };
        return dashboard.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
