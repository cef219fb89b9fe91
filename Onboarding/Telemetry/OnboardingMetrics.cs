using System.Diagnostics.Metrics;

namespace DendriteAspire.Onboarding;

/// <summary>
/// The onboarding service's own counters, on the meter <see cref="MeterName"/> (ServiceDefaults exports every
/// <c>DendriteAspire.*</c> meter: to the Aspire dashboard locally, on the Prometheus port in the cluster). Other code
/// of the service counts through the same object (<see cref="Count"/> for a counter of its own).
/// </summary>
public sealed class OnboardingMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "DendriteAspire.Onboarding";

    private readonly Meter _meter;
    private readonly Counter<long> _invitesCreated;
    private readonly Counter<long> _joins;
    private readonly Counter<long> _refusedLinks;
    private readonly Counter<long> _rateLimited;

    /// <summary>Creates the instruments on a meter from <paramref name="meters"/>.</summary>
    public OnboardingMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _meter = meters.Create(MeterName);
        _invitesCreated = _meter.CreateCounter<long>("onboarding.invites.created", "{invite}", "Invite links made (dashboard command, admin page or API)");
        _joins = _meter.CreateCounter<long>("onboarding.joins", "{account}", "Relatives who finished joining through a link (account made, in the family room)");
        _refusedLinks = _meter.CreateCounter<long>("onboarding.links.refused", "{request}", "Requests with a link that does not work, by reason (expired, used, revoked, invalid, malformed)");
        _rateLimited = _meter.CreateCounter<long>("onboarding.rate_limit.rejections", "{request}", "Requests refused with 429 by a rate limit, by policy");
    }

    /// <summary>An invite link was made.</summary>
    public void InviteCreated() => _invitesCreated.Add(1);

    /// <summary>A relative finished joining.</summary>
    public void Joined() => _joins.Add(1);

    /// <summary>A link was refused, with why (lower case, e.g. <c>expired</c>).</summary>
    public void LinkRefused(string reason) => _refusedLinks.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>A rate limit refused a request, with the policy's name.</summary>
    public void RateLimited(string policy) => _rateLimited.Add(1, new KeyValuePair<string, object?>("policy", policy));

    /// <summary>A counter of another part of the service on the same meter (e.g. <c>onboarding.backups.completed</c>), made once per name.</summary>
    public Counter<long> Count(string name, string? unit = null, string? description = null) =>
        _meter.CreateCounter<long>(name, unit, description);
}
