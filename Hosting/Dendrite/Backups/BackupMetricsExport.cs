using DendriteAspire.Backup.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
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
    internal const string GrpcEndpointKey = "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL";
    internal const string HttpEndpointKey = "ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL";
    internal const string LegacyGrpcEndpointKey = "DOTNET_DASHBOARD_OTLP_ENDPOINT_URL";
    internal const string ApiKeyKey = "AppHost:OtlpApiKey";

    /// <summary>The dashboard endpoint and protocol this configuration points at, or null (no dashboard).</summary>
    internal static (Uri Endpoint, OtlpExportProtocol Protocol)? Target(IConfiguration configuration)
    {
        if (Uri.TryCreate(configuration[HttpEndpointKey], UriKind.Absolute, out var http))
        {
            // The HTTP/protobuf exporter posts to the endpoint as given: the signal's path is part of it.
            return (new Uri(http, "v1/metrics"), OtlpExportProtocol.HttpProtobuf);
        }

        return Uri.TryCreate(configuration[GrpcEndpointKey] ?? configuration[LegacyGrpcEndpointKey], UriKind.Absolute, out var grpc)
            ? (grpc, OtlpExportProtocol.Grpc)
            : null;
    }

    public static void AddTo(IDistributedApplicationBuilder builder, DendriteResource dendrite, TimeSpan? exportInterval = null)
    {
        if (Target(builder.Configuration) is not { } target)
        {
            return;
        }

        var apiKey = builder.Configuration[ApiKeyKey];
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService($"{dendrite.Name}-backups"))
            .WithMetrics(metrics => metrics
                .AddMeter(BackupMetrics.MeterName)
                .AddOtlpExporter((exporter, reader) =>
                {
                    exporter.Endpoint = target.Endpoint;
                    exporter.Protocol = target.Protocol;
                    if (!string.IsNullOrEmpty(apiKey))
                    {
                        exporter.Headers = $"x-otlp-api-key={apiKey}";
                    }

                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)(exportInterval ?? TimeSpan.FromSeconds(15)).TotalMilliseconds;
                }));
    }
}
