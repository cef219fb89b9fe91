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
            limiter.AddPolicy(Join, context => PerAddress(context, options.JoinAttemptsPerMinute));
            limiter.AddPolicy(Invites, context => PerAddress(context, options.InvitesPerMinute));
        });
    }

    private static RateLimitPartition<string> PerAddress(HttpContext context, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(
            context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
}
