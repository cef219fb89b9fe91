using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Adds the common Aspire services to a .NET service: OpenTelemetry, health checks, service discovery and
/// HttpClient resilience. Every .NET service the AppHost runs calls <see cref="AddServiceDefaults{TBuilder}"/>.
/// </summary>
public static class Extensions
{
    private const string HealthEndpointPath = "/health";
    private const string AlivenessEndpointPath = "/alive";

    /// <summary>
    /// The setting (<c>Metrics__PrometheusPort</c>) that turns on the Prometheus endpoint: <c>/metrics</c> answered only
    /// on that port, which the Kubernetes Service offers as <c>metrics</c> and no Ingress routes. Unset (the local run):
    /// no endpoint; the metrics go to the Aspire dashboard over OTLP.
    /// </summary>
    public const string PrometheusPortKey = "Metrics:PrometheusPort";

    /// <summary>The path Prometheus scrapes on <see cref="PrometheusPortKey"/>.</summary>
    public const string PrometheusPath = "/metrics";

    /// <summary>Every meter of this solution (<c>DendriteAspire.Onboarding</c>, and any later <c>DendriteAspire.*</c>).</summary>
    public const string MeterNames = "DendriteAspire.*";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler(resilience => RetryOnlySafeRequests(resilience.Retry));
            http.AddServiceDiscovery();
        });
        return builder;
    }

    /// <summary>
    /// Set on a request (<see cref="HttpRequestMessage.Options"/>) by a client that retries on its own, such as the
    /// Admin library's <c>DendriteAdminClient</c>: the standard handler then never sends it again, so a request is
    /// retried in one place only.
    /// </summary>
    public const string CallerRetriesOption = "DendriteAspire.CallerRetries";

    /// <summary>
    /// The standard handler's retry, limited to requests that are safe to send twice: GET, HEAD, OPTIONS and TRACE,
    /// never POST, PUT, PATCH, DELETE or CONNECT (a request whose answer was lost may have been carried out, and
    /// sending it again could do it twice: a relative's registration would report its own account as "taken"), and
    /// never a request whose caller retries it (<see cref="CallerRetriesOption"/>).
    /// </summary>
    public static void RetryOnlySafeRequests(HttpRetryStrategyOptions retry)
    {
        ArgumentNullException.ThrowIfNull(retry);
        var transient = retry.ShouldHandle;
        retry.ShouldHandle = args =>
        {
            var request = args.Context.GetRequestMessage() ?? args.Outcome.Result?.RequestMessage;
            if (request is null
                || !(request.Method == HttpMethod.Get || request.Method == HttpMethod.Head || request.Method == HttpMethod.Options || request.Method == HttpMethod.Trace)
                || (request.Options.TryGetValue(new HttpRequestOptionsKey<bool>(CallerRetriesOption), out var callerRetries) && callerRetries))
            {
                return ValueTask.FromResult(false);
            }

            return transient(args);
        };
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics =>
            {
                metrics
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddMeter(MeterNames);
                if (PrometheusPort(builder.Configuration) is not null)
                {
                    metrics.AddPrometheusExporter();
                }
            })
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddAspNetCoreInstrumentation(options =>
                    options.Filter = context =>
                        !context.Request.Path.StartsWithSegments(HealthEndpointPath)
                        && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath))
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>The configured Prometheus port, or null when there is none.</summary>
    public static int? PrometheusPort(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return int.TryParse(configuration[PrometheusPortKey], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? port
            : null;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        return builder;
    }

    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // Mapped in every environment: Kubernetes probes a published service here too. The answers carry only
        // "Healthy"/"Unhealthy", never details.
        if (PrometheusPort(app.Configuration) is { } port)
        {
            // Only on the metrics port, and nothing else there: the public port answers /metrics with 404, and the
            // metrics port serves no page of the app.
            app.UseOpenTelemetryPrometheusScrapingEndpoint(context => context.Connection.LocalPort == port && context.Request.Path == PrometheusPath);
            app.Use((context, next) =>
            {
                if (context.Connection.LocalPort == port)
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                }

                return next(context);
            });
        }

        app.MapHealthChecks(HealthEndpointPath);
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains("live"),
        });

        return app;
    }
}
