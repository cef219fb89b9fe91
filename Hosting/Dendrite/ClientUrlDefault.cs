namespace DendriteAspire.Hosting;

/// <summary>
/// The client URL (<c>m.homeserver.base_url</c>) when <c>Dendrite:WellKnown:ClientUrl</c> is not set. The local
/// default lives here, for the local run only, so a publish never inherits a <c>localhost</c> URL by accident:
/// locally it is <c>http://localhost:&lt;HostPort&gt;</c>; published, it is <c>https://&lt;homeserver host&gt;</c> when
/// a public host is set (<see cref="PublicHosts.Homeserver"/>), and otherwise unset (no client well-known document).
/// </summary>
internal static class ClientUrlDefault
{
    public static string? For(DistributedApplicationExecutionContext executionContext, DendriteHostOptions host, PublicHosts publicHosts)
    {
        if (executionContext.IsRunMode)
        {
            return host.HostPort > 0 ? $"http://localhost:{host.HostPort}" : null;
        }

        return string.IsNullOrWhiteSpace(publicHosts.Homeserver) ? null : $"https://{publicHosts.Homeserver.Trim()}";
    }
}
