using System.Globalization;
using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace DendriteAspire.Integration.Tests;

/// <summary>
/// What a failed start says: for each of the app's containers that exists (<c>dendrite-keygen</c>, <c>postgres</c>,
/// <c>dendrite</c>) its state, exit code and health, the last <see cref="LogLines"/> lines of its console log (what the
/// dashboard's Console logs page shows), and the DCP errors the AppHost logged.
/// </summary>
public static class StartDiagnostics
{
    public const int LogLines = 30;
    public static readonly IReadOnlyList<string> Resources = ["dendrite-keygen", "postgres", "dendrite"];

    public static async Task<string> DescribeAsync(DistributedApplication app, DcpErrorLog appHostLog)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(appHostLog);
        var report = new StringBuilder();
        var logs = app.Services.GetRequiredService<ResourceLoggerService>();
        foreach (var name in Resources)
        {
            if (!app.ResourceNotifications.TryGetCurrentState(name, out var resourceEvent))
            {
                continue;
            }

            var snapshot = resourceEvent.Snapshot;
            report.Append(CultureInfo.InvariantCulture,
                $"{name}: state {snapshot.State?.Text ?? "unknown"}, exit code {snapshot.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "none"}, health {snapshot.HealthStatus?.ToString() ?? "none"}");
            report.AppendLine();
            // What streamed while the app ran; the stored backlog when nothing did.
            var lines = appHostLog.ConsoleLines(name) is { Count: > 0 } followed
                ? [.. followed]
                : await LastLinesAsync(logs, resourceEvent.ResourceId).ConfigureAwait(false);
            report.AppendLine(lines.Count == 0
                ? "  (no console output)"
                : string.Create(CultureInfo.InvariantCulture, $"  last {lines.Count} console lines:"));
            foreach (var line in lines)
            {
                report.Append("  | ").AppendLine(line);
            }
        }

        var errors = appHostLog.Entries;
        report.AppendLine(errors.Count == 0 ? "DCP: no warnings or errors logged" : "DCP and AppHost warnings/errors:");
        foreach (var error in errors)
        {
            report.Append("  ").AppendLine(error);
        }

        return report.ToString();
    }

    /// <summary>The stored backlog of one resource instance (its DCP id, such as <c>dendrite-abcdefgh</c>).</summary>
    internal static async Task<List<string>> LastLinesAsync(ResourceLoggerService logs, string name)
    {
        var lines = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await foreach (var batch in logs.GetAllAsync(name).WithCancellation(timeout.Token).ConfigureAwait(false))
            {
                lines.AddRange(batch.Select(l => l.Content));
            }
        }
        catch (OperationCanceledException)
        {
            lines.Add($"(reading the console log timed out after {lines.Count} lines)");
        }

        return lines.Count <= LogLines ? lines : lines.GetRange(lines.Count - LogLines, LogLines);
    }
}
