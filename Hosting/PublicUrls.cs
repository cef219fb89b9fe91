namespace DendriteAspire.Hosting;

/// <summary>
/// URLs people type or click, as opposed to the addresses services use among themselves. Each comes from its own
/// setting when set; otherwise, when publishing, from the <see cref="PublicHosts"/>; otherwise it is the local address
/// (<c>http://localhost:&lt;HostPort&gt;</c>), which on a cluster is what <c>kubectl port-forward</c> gives.
/// </summary>
internal static class PublicUrls
{
    public static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    /// <summary>
    /// The homeserver as a browser or phone reaches it: <c>Dendrite:WellKnown:ClientUrl</c>, else in a publish
    /// <c>https://&lt;homeserver host&gt;</c>, else <paramref name="localUrl"/>.
    /// </summary>
    public static string Homeserver(DendriteResource dendrite, DistributedApplicationExecutionContext context, PublicHosts hosts, Func<string> localUrl) =>
        Trim(NonEmpty(dendrite.Settings.WellKnown.ClientUrl)
            ?? (context.IsPublishMode && NonEmpty(hosts.Homeserver) is { } host ? $"https://{host}" : null)
            ?? localUrl());

    /// <summary>
    /// A web app's public URL: its own setting, else in a publish its dedicated host, else the homeserver's host
    /// (the app's paths live there), else <paramref name="localUrl"/>.
    /// </summary>
    public static string App(string? configured, DistributedApplicationExecutionContext context, string? dedicatedHost, PublicHosts hosts, Func<string> localUrl) =>
        Trim(NonEmpty(configured)
            ?? (context.IsPublishMode ? (NonEmpty(dedicatedHost) ?? NonEmpty(hosts.Homeserver)) is { } host ? $"https://{host}" : null : null)
            ?? localUrl());

    /// <summary>Without a trailing slash, so paths can be appended.</summary>
    public static string Trim(string url) => url.TrimEnd('/');

    /// <summary><c>http://localhost:&lt;port&gt;</c> for a fixed host port, else the endpoint's allocated URL.</summary>
    public static string Local(EndpointReference endpoint, int hostPort) =>
        hostPort != 0 ? $"http://localhost:{hostPort}"
        : endpoint.IsAllocated ? endpoint.Url
        : throw new DistributedApplicationException(
            $"'{endpoint.Resource.Name}' has no fixed host port (HostPort is 0) and no public URL; set its PublicUrl or an Ingress host so people get a link that works.");

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
