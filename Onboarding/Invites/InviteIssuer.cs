using System.Text;
using DendriteAspire.Onboarding.Homeserver;
using Microsoft.Extensions.Options;

namespace DendriteAspire.Onboarding.Invites;

/// <summary>Makes and reads invite links under the configured secret.</summary>
public sealed class InviteIssuer(
    IOptions<OnboardingOptions> options,
    IFamilyHomeserver homeserver,
    InviteStore store,
    TimeProvider time,
    OnboardingMetrics metrics)
{
    private readonly OnboardingOptions _options = options.Value;

    private byte[] Key => string.IsNullOrEmpty(_options.InviteSecret)
        ? throw new InvalidOperationException($"{OnboardingOptions.SectionName}:InviteSecret is not set; the AppHost passes the secret parameter 'onboarding-invite-secret'.")
        : Encoding.UTF8.GetBytes(_options.InviteSecret);

    /// <summary>
    /// Creates a link for <paramref name="userName"/>. Returns the problem instead when the name breaks a rule,
    /// is taken already, or the expiry is out of range.
    /// </summary>
    public async Task<IssuedInvite> CreateAsync(string userName, string? displayName, int? expiresInHours, string invitedBy, CancellationToken cancellationToken)
    {
        userName = (userName ?? string.Empty).Trim();
        if (homeserver.UserNameProblem(userName) is { } problem)
        {
            return IssuedInvite.Refused(problem);
        }

        var hours = expiresInHours ?? _options.DefaultExpiryHours;
        if (hours < 1 || hours > _options.MaximumExpiryHours)
        {
            return IssuedInvite.Refused($"expiresInHours must be between 1 and {_options.MaximumExpiryHours}.");
        }

        if (await homeserver.IsUserNameTakenAsync(userName, cancellationToken).ConfigureAwait(false))
        {
            return IssuedInvite.Refused($"'{_options.UserId(userName)}' exists already; pick another user name.");
        }

        var now = time.GetUtcNow();
        var invite = InviteToken.Create(userName, displayName, invitedBy, now.AddHours(hours));
        await store.AddAsync(invite, now, cancellationToken).ConfigureAwait(false);
        metrics.InviteCreated();
        return new IssuedInvite(LinkFor(invite), invite, null);
    }

    /// <summary>Reads a link's token.</summary>
    public InviteVerification Verify(string? token) => InviteToken.Verify(token, Key, time.GetUtcNow());

    /// <summary><c>&lt;PublicUrl&gt;/join/&lt;token&gt;</c>.</summary>
    public Uri LinkFor(InviteToken invite)
    {
        ArgumentNullException.ThrowIfNull(invite);
        return new Uri(_options.PublicUrl.ToString().TrimEnd('/') + "/join/" + invite.Sign(Key));
    }
}

/// <summary>A new link, or why none was made.</summary>
public sealed record IssuedInvite(Uri? Url, InviteToken? Invite, string? Problem)
{
    /// <summary>No link: <paramref name="problem"/> says why.</summary>
    public static IssuedInvite Refused(string problem) => new(null, null, problem);
}
