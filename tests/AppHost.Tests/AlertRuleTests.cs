using System.Diagnostics;
using System.Globalization;
using System.Text;
using DendriteAspire.Hosting.Kubernetes.Monitoring;
using YamlDotNet.RepresentationModel;

namespace DendriteAspire.AppHost.Tests;

/// <summary>
/// The published alert rules, tested like code with promtool (Debian's <c>prometheus</c> package): <c>promtool check
/// rules</c> on the PrometheusRule's groups, and <c>promtool test rules</c> cases that feed series and assert which
/// alerts fire and which stay quiet. Without promtool on the PATH the tests skip with the reason; CI installs it and
/// sets <c>DENDRITE_PROMTOOL=required</c>, which turns a missing promtool into a failure.
/// </summary>
public class AlertRuleTests(MonitoringPublish published) : IClassFixture<MonitoringPublish>
{
    private static readonly string[] AllAlerts =
    [
        "DendriteBackupTooOld", "DendriteDown", "DendriteNotReady", "DendriteRequestsFailing",
        "DendriteSecretMissing", "DendriteSigningKeyMissing", "DendriteVolumeAlmostFull",
    ];

    /// <summary>A healthy server: up, ready, 0.2% errors, a claim 10% full, config and key present, backed up 50 minutes ago.</summary>
    private static Dictionary<string, string> Healthy() => new(StringComparer.Ordinal)
    {
        ["up{namespace=\"dendrite\", job=\"dendrite\"}"] = "1x120",
        ["kube_statefulset_status_replicas_ready{namespace=\"dendrite\", statefulset=\"dendrite\"}"] = "1x120",
        ["kube_statefulset_replicas{namespace=\"dendrite\", statefulset=\"dendrite\"}"] = "1x120",
        ["nginx_ingress_controller_requests{exported_namespace=\"dendrite\", ingress=\"dendrite\", status=\"200\"}"] = "0+600x120",
        ["nginx_ingress_controller_requests{exported_namespace=\"dendrite\", ingress=\"dendrite\", status=\"500\"}"] = "0+1x120",
        ["kubelet_volume_stats_used_bytes{namespace=\"dendrite\", persistentvolumeclaim=\"media-dendrite-0\"}"] = "100x120",
        ["kubelet_volume_stats_capacity_bytes{namespace=\"dendrite\", persistentvolumeclaim=\"media-dendrite-0\"}"] = "1000x120",
        ["kube_secret_info{namespace=\"dendrite\", secret=\"dendrite-config\"}"] = "1x120",
        ["kube_persistentvolumeclaim_status_phase{namespace=\"dendrite\", persistentvolumeclaim=\"storage-keys-dendrite-0\", phase=\"Bound\"}"] = "1x120",
        // time() is 6000 s at the evaluation (100m): 50 minutes ago.
        ["kube_cronjob_status_last_successful_time{namespace=\"dendrite\", cronjob=\"dendrite-backup\"}"] = "3000x120",
    };

    private sealed record Case(string Name, Action<Dictionary<string, string>> Change, string? Fires, IReadOnlyDictionary<string, string>? ExtraLabels = null);

    private static readonly Case[] Cases =
    [
        new("healthy baseline", _ => { }, null),
        new("down", s => s["up{namespace=\"dendrite\", job=\"dendrite\"}"] = "0x120", "DendriteDown"),
        new("down: no target at all", s => s.Remove("up{namespace=\"dendrite\", job=\"dendrite\"}"), "DendriteDown"),
        new("not ready", s => s["kube_statefulset_status_replicas_ready{namespace=\"dendrite\", statefulset=\"dendrite\"}"] = "0x120", "DendriteNotReady",
            new Dictionary<string, string> { ["namespace"] = "dendrite", ["statefulset"] = "dendrite" }),
        new("5xx burst", s => s["nginx_ingress_controller_requests{exported_namespace=\"dendrite\", ingress=\"dendrite\", status=\"500\"}"] = "0+100x120", "DendriteRequestsFailing"),
        new("full claim", s => s["kubelet_volume_stats_used_bytes{namespace=\"dendrite\", persistentvolumeclaim=\"media-dendrite-0\"}"] = "950x120", "DendriteVolumeAlmostFull",
            new Dictionary<string, string> { ["namespace"] = "dendrite", ["persistentvolumeclaim"] = "media-dendrite-0" }),
        // 206000 s old: more than twice the 24h schedule.
        new("stale backup", s => s["kube_cronjob_status_last_successful_time{namespace=\"dendrite\", cronjob=\"dendrite-backup\"}"] = "-200000x120", "DendriteBackupTooOld"),
        new("config secret gone", s => s.Remove("kube_secret_info{namespace=\"dendrite\", secret=\"dendrite-config\"}"), "DendriteSecretMissing",
            new Dictionary<string, string> { ["namespace"] = "dendrite", ["secret"] = "dendrite-config" }),
        new("signing key claim lost", s => s["kube_persistentvolumeclaim_status_phase{namespace=\"dendrite\", persistentvolumeclaim=\"storage-keys-dendrite-0\", phase=\"Bound\"}"] = "0x120", "DendriteSigningKeyMissing"),
    ];

    [Fact]
    public async Task Promtool_accepts_the_published_rules()
    {
        var directory = await WriteRulesAsync();
        var (exit, output) = await PromtoolAsync(directory, "check", "rules", "rules.yaml");
        Assert.True(exit == 0, output);
        Assert.Contains($"SUCCESS: {AllAlerts.Length} rules found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_failure_fires_its_alert_and_only_it_and_a_healthy_server_fires_nothing()
    {
        var directory = await WriteRulesAsync();
        await File.WriteAllTextAsync(Path.Combine(directory, "tests.yaml"), UnitTests(Cases, RuleAnnotations()), TestContext.Current.CancellationToken);
        var (exit, output) = await PromtoolAsync(directory, "test", "rules", "tests.yaml");
        Assert.True(exit == 0, output);
    }

    [Fact]
    public async Task A_wrong_expectation_makes_promtool_fail()
    {
        // The harness can fail: claiming the healthy baseline fires DendriteDown must be refused.
        var directory = await WriteRulesAsync();
        await File.WriteAllTextAsync(Path.Combine(directory, "tests.yaml"),
            UnitTests([new Case("healthy, wrongly expected down", _ => { }, "DendriteDown")], RuleAnnotations()), TestContext.Current.CancellationToken);
        var (exit, output) = await PromtoolAsync(directory, "test", "rules", "tests.yaml");
        Assert.NotEqual(0, exit);
        Assert.Contains("DendriteDown", output, StringComparison.Ordinal);
    }

    private Dictionary<string, IDictionary<string, string>> RuleAnnotations() =>
        published.Output.Named<PrometheusRule>("dendrite").Spec.Groups.Single().Rules.ToDictionary(r => r.Alert, r => r.Annotations!, StringComparer.Ordinal);

    /// <summary>The rule file promtool reads: the PrometheusRule's <c>spec</c> (its <c>groups</c>), as published.</summary>
    private async Task<string> WriteRulesAsync()
    {
        RequirePromtool();
        var stream = new YamlStream();
        stream.Load(new StringReader(published.Output.Files["dendrite-prometheusrule.yaml"]));
        var spec = ((YamlMappingNode)stream.Documents[0].RootNode).Children[new YamlScalarNode("spec")];
        var directory = ScratchDirectories.New("promtool-");
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        new YamlStream(new YamlDocument(spec)).Save(writer, assignAnchors: false);
        await File.WriteAllTextAsync(Path.Combine(directory, "rules.yaml"), writer.ToString(), TestContext.Current.CancellationToken);
        return directory;
    }

    private static string UnitTests(IEnumerable<Case> cases, Dictionary<string, IDictionary<string, string>> annotations)
    {
        var yaml = new StringBuilder();
        yaml.AppendLine("rule_files:\n  - rules.yaml\nevaluation_interval: 1m\ntests:");
        foreach (var test in cases)
        {
            var series = Healthy();
            test.Change(series);
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  # {test.Name}\n  - interval: 1m\n    input_series:");
            foreach (var (name, values) in series)
            {
                yaml.AppendLine(CultureInfo.InvariantCulture, $"      - series: '{name}'\n        values: '{values}'");
            }

            yaml.AppendLine("    alert_rule_test:");
            foreach (var alert in AllAlerts)
            {
                yaml.AppendLine(CultureInfo.InvariantCulture, $"      - eval_time: 100m\n        alertname: {alert}");
                if (alert != test.Fires)
                {
                    yaml.AppendLine("        exp_alerts: []");
                    continue;
                }

                yaml.AppendLine("        exp_alerts:\n          - exp_labels:");
                var labels = new SortedDictionary<string, string>(test.ExtraLabels?.ToDictionary() ?? [], StringComparer.Ordinal)
                {
                    ["severity"] = alert is "DendriteDown" or "DendriteSecretMissing" or "DendriteSigningKeyMissing" ? "critical" : "warning",
                };
                foreach (var (key, value) in labels)
                {
                    yaml.AppendLine(CultureInfo.InvariantCulture, $"              {key}: {Quote(value)}");
                }

                yaml.AppendLine("            exp_annotations:");
                foreach (var (key, value) in annotations[alert])
                {
                    var expanded = value
                        .Replace("{{ $labels.persistentvolumeclaim }}", "media-dendrite-0", StringComparison.Ordinal)
                        .Replace("{{ $value | humanizePercentage }}", "95%", StringComparison.Ordinal);
                    yaml.AppendLine(CultureInfo.InvariantCulture, $"              {key}: {Quote(expanded)}");
                }
            }
        }

        return yaml.ToString();
    }

    private static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static void RequirePromtool()
    {
        if (FindPromtool() is not null)
        {
            return;
        }

        const string reason = "promtool is not on the PATH (Debian: apt-get install prometheus); the alert rules were not tested";
        if (Environment.GetEnvironmentVariable("DENDRITE_PROMTOOL") == "required")
        {
            Assert.Fail(reason + ", but DENDRITE_PROMTOOL=required");
        }

        Assert.Skip(reason);
    }

    private static string? FindPromtool() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "promtool"))
            .FirstOrDefault(File.Exists);

    private static async Task<(int Exit, string Output)> PromtoolAsync(string directory, params string[] args)
    {
        var start = new ProcessStartInfo(FindPromtool()!) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }
}
