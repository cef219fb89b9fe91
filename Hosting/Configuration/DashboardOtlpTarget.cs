using Microsoft.Extensions.Configuration;
using OpenTelemetry.Exporter;

namespace DendriteAspire.Hosting.Configuration;

/// <summary>
/// The dashboard's OTLP endpoint and API key as Aspire gives them to the AppHost in run mode:
/// <c>ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL</c> (HTTP/protobuf, preferred when set) or
/// <c>ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL</c> (gRPC; the legacy <c>DOTNET_</c> name too), and <c>AppHost:OtlpApiKey</c>.
/// </summary>
internal sealed record DashboardOtlpTarget(Uri Endpoint, OtlpExportProtocol Protocol, string? ApiKey)
{
    internal const string GrpcEndpointKey = "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL";
    internal const string HttpEndpointKey = "ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL";
    internal const string LegacyGrpcEndpointKey = "DOTNET_DASHBOARD_OTLP_ENDPOINT_URL";
    internal const string ApiKeyKey = "AppHost:OtlpApiKey";

    /// <summary>The target, or null when no dashboard endpoint is configured.</summary>
    public static DashboardOtlpTarget? Read(IDistributedApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var apiKey = configuration[ApiKeyKey];
        if (Uri.TryCreate(configuration[HttpEndpointKey], UriKind.Absolute, out var http))
        {
            // The HTTP/protobuf exporter posts to the endpoint as given: the signal's path is part of it.
            return new(new Uri(http, "v1/metrics"), OtlpExportProtocol.HttpProtobuf, apiKey);
        }

        return Uri.TryCreate(configuration[GrpcEndpointKey] ?? configuration[LegacyGrpcEndpointKey], UriKind.Absolute, out var grpc)
            ? new(grpc, OtlpExportProtocol.Grpc, apiKey)
            : null;
    }
}
