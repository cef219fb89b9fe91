using System.Globalization;
using System.Text.RegularExpressions;

namespace DendriteAspire.ConfigRenderer.Validation;

/// <summary>
/// The <c>host[:port]</c> form of a Matrix server name (and of <c>well_known_server_name</c>): no scheme, no path, no
/// spaces, a port from 1 to 65535 if any.
/// </summary>
internal static partial class HostAndPort
{
    /// <summary>Returns what is wrong and how to fix it, or null when the value is a valid server name.</summary>
    public static string? Problem(string value, string example)
    {
        var schemeEnd = value.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd >= 0)
        {
            return $"must be host[:port] without a scheme; remove \"{value[..(schemeEnd + 3)]}\"";
        }

        if (value.Any(char.IsWhiteSpace))
        {
            return $"must not contain spaces; use a host name such as {example}";
        }

        if (value.Contains('/', StringComparison.Ordinal))
        {
            return $"must be host[:port] without a path; remove everything from the first \"/\"";
        }

        var host = value;
        string? port = null;
        if (value.StartsWith('['))
        {
            var close = value.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return "has an IPv6 address without the closing \"]\"; write it as [::1]:8448";
            }

            host = value[..(close + 1)];
            var rest = value[(close + 1)..];
            if (rest.Length > 0)
            {
                if (!rest.StartsWith(':'))
                {
                    return "must be [ipv6][:port]; remove the text after \"]\"";
                }

                port = rest[1..];
            }
        }
        else
        {
            var colon = value.LastIndexOf(':');
            if (colon >= 0)
            {
                host = value[..colon];
                port = value[(colon + 1)..];
            }

            if (!HostName().IsMatch(host))
            {
                return $"has an invalid host name \"{host}\"; use letters, digits, dots and hyphens, e.g. {example}";
            }
        }

        if (port is not null &&
            (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535))
        {
            return $"has a bad port \"{port}\"; use a number from 1 to 65535, or leave out the port";
        }

        return null;
    }

    [GeneratedRegex(@"^[A-Za-z0-9](?:[A-Za-z0-9.\-]*[A-Za-z0-9])?$")]
    private static partial Regex HostName();
}
