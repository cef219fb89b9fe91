using DendriteAspire.Backup.Runtime;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace DendriteAspire.Hosting;

/// <summary>
/// The local run's backups are taken by the AppHost process, so their gauges (<see cref="BackupMetrics"/>: when the
/// last backup succeeded, how big it was) live there: this sends that meter, and only that meter, to the dashboard's
/// OTLP endpoint, where it shows under the service <c>&lt;dendrite&gt;-backups</c> in Metrics. The endpoint and its API
/// key are the ones Aspire gives the AppHost in run mode (<c>ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL</c>, gRPC, or
/// <c>ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL</c>, HTTP/protobuf, preferred when set; <c>AppHost:OtlpApiKey</c>); with
/// no dashboard endpoint nothing is exported. In the cluster the CronJob's age comes from kube-state-metrics instead.
/// </summary>
internal static class BackupMetricsExport
{
    public static void AddTo(IDistributedApplicationBuilder builder, DendriteResource dendrite, TimeSpan? exportInterval = null)
    {
        if (Configuration.DashboardOtlpTarget.Read(builder) is not { } target)
        {
            return;
        }

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService($"{dendrite.Name}-backups"))
            .WithMetrics(metrics => metrics
                .AddMeter(BackupMetrics.MeterName)
                .AddOtlpExporter((exporter, reader) =>
                {
                    exporter.Endpoint = target.Endpoint;
                    exporter.Protocol = target.Protocol;
                    if (!string.IsNullOrEmpty(target.ApiKey))
                    {
                        exporter.Headers = $"x-otlp-api-key={target.ApiKey}";
                    }

                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)(exportInterval ?? TimeSpan.FromSeconds(15)).TotalMilliseconds;
                }));
    }
}
