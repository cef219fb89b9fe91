using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace DendriteAspire.Onboarding;

/// <summary>Per-address limits on join attempts, sign-ins and invite creation (ASP.NET Core's rate limiter).</summary>
public static class RateLimits
{
    /// <summary>Join pages and admin sign-in.</summary>
    public const string Join = "join";

    /// <summary>Invite creation, on the page and the API.</summary>
    public const string Invites = "invites";

    /// <summary>Adds both policies, sized from <see cref="OnboardingOptions"/>; a refused request gets 429.</summary>
    public static IServiceCollection AddOnboardingRateLimits(this IServiceCollection services, OnboardingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, _) =>
            {
                var policy = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName ?? "unknown";
                context.HttpContext.RequestServices.GetService<OnboardingMetrics>()?.RateLimited(policy);
                return ValueTask.CompletedTask;
            };
            limiter.AddPolicy(Join, context => PerAddress(context, options.JoinAttemptsPerMinute));
            limiter.AddPolicy(Invites, context => PerAddress(context, options.InvitesPerMinute));
        });
    }

    private static RateLimitPartition<string> PerAddress(HttpContext context, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(
            PartitionKey(context.Connection.RemoteIpAddress),
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });

    /// <summary>
    /// The client's address (after <see cref="ProxyTrust"/>): an IPv4 address as is, an IPv6 address by its /64, the
    /// block one home or phone gets, so a stranger cannot get fresh limits by walking through their own block.
    /// </summary>
    internal static string PartitionKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
