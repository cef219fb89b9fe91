using System.Net;

namespace DendriteAspire.Hosting.Kubernetes;

/// <summary>
/// Host names that mean "this machine" by definition: <c>localhost</c> and its subdomains (RFC 6761), the usual
/// <c>/etc/hosts</c> aliases, and loopback addresses. Decided from the text alone, never by asking DNS, so a publish
/// gives the same answer on every machine.
/// </summary>
internal static class LoopbackNames
{
    private static readonly HashSet<string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        "localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback",
    };

    /// <summary>Whether <paramref name="hostAndPort"/> (<c>host</c>, <c>host:port</c>, <c>[::1]:8448</c>) names this machine.</summary>
    public static bool IsLoopback(string hostAndPort)
    {
        var host = Host(hostAndPort.Trim());
        if (IPAddress.TryParse(host, out var address))
        {
            return IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);
        }

        host = host.TrimEnd('.');
        return Aliases.Contains(host) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Whether an absolute URL points at this machine.</summary>
    public static bool IsLoopbackUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && IsLoopback(uri.Host);

    private static string Host(string hostAndPort)
    {
        if (hostAndPort.StartsWith('['))
        {
            var end = hostAndPort.IndexOf(']', StringComparison.Ordinal);
            return end > 0 ? hostAndPort[1..end] : hostAndPort;
        }

        // One colon is host:port; more than one is a bare IPv6 address.
        var colon = hostAndPort.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 && colon == hostAndPort.LastIndexOf(':') ? hostAndPort[..colon] : hostAndPort;
    }
}
