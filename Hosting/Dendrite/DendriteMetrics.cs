namespace DendriteAspire.Hosting;

/// <summary>
/// Dendrite's Prometheus metrics (<c>global.metrics</c>): served by Dendrite itself at <c>/metrics</c> on the client
/// API's listener (port 8008, the Service's port named <c>http</c>; never routed by the Ingress), behind basic auth
/// with the user <c>metrics</c> and the generated secret parameter <c>&lt;name&gt;-metrics-password</c> (user secrets
/// locally, the config Secret and the metrics Secret on a cluster; never a ConfigMap, a log or the manifest).
/// Dendrite v0.15.2 answers a missing or wrong login with 403 Forbidden (internal/httputil/httpapi.go,
/// <c>WrapHandlerInBasicAuth</c>).
/// </summary>
public static class DendriteMetrics
{
    /// <summary>The password parameter of the resource <c>dendrite</c>.</summary>
    public const string DefaultPasswordParameterName = "dendrite-metrics-password";

    /// <summary>The password parameter of the Dendrite resource <paramref name="resourceName"/>: <c>&lt;name&gt;-metrics-password</c>.</summary>
    /// <param name="resourceName">The Dendrite resource's name.</param>
    /// <returns>The parameter's name.</returns>
    public static string PasswordParameterNameFor(string resourceName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(resourceName);
        return $"{resourceName}-metrics-password";
    }

    internal static void AddPassword(IDistributedApplicationBuilder builder, DendriteResource dendrite)
    {
        if (!dendrite.Settings.Metrics.Enabled || dendrite.MetricsPassword is not null)
        {
            return;
        }

        dendrite.MetricsPassword = builder.AddParameter(
            PasswordParameterNameFor(dendrite.Name),
            new GenerateParameterDefault { MinLength = 32, Special = false },
            secret: true,
            persist: true).Resource;
    }
}
