using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using IPNetwork = System.Net.IPNetwork;

namespace DendriteAspire.Onboarding;

/// <summary>
/// Which proxies may say who the client is. <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are read only when
/// the connection comes from an address in <see cref="OnboardingOptions.TrustedProxies"/>, and only the last hop
/// (the trusted proxy's own entry); from anywhere else they are ignored and the connection's address counts.
/// </summary>
/// <remarks>
/// ASP.NET Core's <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c> trusts forwarded headers from any address; a stranger
/// could then pick their own address and slip past the per-address limits. This service removes that switch's
/// middleware and its settings, so trust comes from this one setting only.
/// </remarks>
public static class ProxyTrust
{
    /// <summary>
    /// Configures the forwarded-headers middleware from <see cref="OnboardingOptions.TrustedProxies"/> (an entry that is
    /// not a network stops the start through the options' validation, naming it).
    /// </summary>
    public static IServiceCollection AddProxyTrust(this IServiceCollection services)
    {
        var implicitTrust = services.Where(d => d.ServiceType == typeof(IStartupFilter) && d.ImplementationType?.Name == "ForwardedHeadersStartupFilter").ToList();
        foreach (var descriptor in implicitTrust)
        {
            services.Remove(descriptor);
        }

        services.AddOptions<ForwardedHeadersOptions>().PostConfigure<IOptions<OnboardingOptions>>((forwarded, onboarding) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.ForwardLimit = 1;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var network in Networks(onboarding.Value))
            {
                forwarded.KnownIPNetworks.Add(network);
            }
        });
        return services;
    }

    /// <summary>The parsed <see cref="OnboardingOptions.TrustedProxies"/>; blank entries are skipped.</summary>
    public static IReadOnlyList<IPNetwork> Networks(OnboardingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return [.. options.TrustedProxies.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => TryParse(t, out var network) ? network : throw new FormatException(t))];
    }

    /// <summary>Parses <c>10.0.0.0/8</c> or a single address (<c>10.1.2.3</c>, a /32 or /128).</summary>
    public static bool TryParse(string? text, out IPNetwork network)
    {
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            network = default;
            return false;
        }

        if (!text.Contains('/', StringComparison.Ordinal) && IPAddress.TryParse(text, out var address))
        {
            network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        return IPNetwork.TryParse(text, out network);
    }
}
