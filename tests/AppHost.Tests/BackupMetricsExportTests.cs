using System.Net;
using System.Net.Sockets;
using System.Text;
using DendriteAspire.Backup.Runtime;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace DendriteAspire.AppHost.Tests;

/// <summary>
/// The local run's backup gauges leave the AppHost process: with a dashboard OTLP endpoint configured (what Aspire
/// gives the AppHost in run mode) the backup meter is sent there with the dashboard's API key; without one, nothing is.
/// </summary>
public class BackupMetricsExportTests
{
    [Fact]
    public async Task BackupGauges_AreSentToTheDashboardsOtlpEndpoint_WithItsApiKey()
    {
        var port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        await using var app = await AppModel.BuildAsync(
            $"--ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL=http://127.0.0.1:{port}", "--AppHost:OtlpApiKey=model-test-otlp-key");

        var provider = app.App.Services.GetRequiredService<MeterProvider>();
        BackupMetrics.Record(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000), 987_654_321);
        var received = listener.GetContextAsync();
        var flushed = Task.Run(() => provider.ForceFlush(10_000), TestContext.Current.CancellationToken);
        var context = await received.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body, TestContext.Current.CancellationToken);
        context.Response.StatusCode = 200;
        context.Response.Close();
        await flushed;

        Assert.Equal("POST", context.Request.HttpMethod);
        Assert.Equal("/v1/metrics", context.Request.Url!.AbsolutePath);
        Assert.Equal("model-test-otlp-key", context.Request.Headers["x-otlp-api-key"]);
        var text = Encoding.UTF8.GetString(body.ToArray());
        Assert.Contains("dendrite-backups", text, StringComparison.Ordinal);
        Assert.Contains("backup.last_success.time", text, StringComparison.Ordinal);
        Assert.Contains("backup.last_success.size", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutADashboardEndpoint_NothingIsExported()
    {
        await using var app = await AppModel.BuildAsync("--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=", "--DOTNET_DASHBOARD_OTLP_ENDPOINT_URL=");
        Assert.Null(app.App.Services.GetService<MeterProvider>());
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
