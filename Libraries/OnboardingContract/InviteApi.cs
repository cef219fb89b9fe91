namespace DendriteAspire.Onboarding.Api;

/// <summary>The body of <c>POST /api/invites</c> (<see cref="Path"/>).</summary>
/// <param name="UserName">The localpart the account will have.</param>
/// <param name="DisplayName">Optional display name.</param>
/// <param name="ExpiresInHours">Validity in hours; <see cref="DefaultExpiresInHours"/> (7 days) when unset.</param>
public sealed record InviteRequest(string? UserName, string? DisplayName, int? ExpiresInHours)
{
    /// <summary>The path of the invite API.</summary>
    public const string Path = "/api/invites";

    /// <summary>Hours a link stays valid when the request does not say: 168, seven days.</summary>
    public const int DefaultExpiresInHours = 7 * 24;
}

/// <summary>The answer of <c>POST /api/invites</c>.</summary>
/// <param name="Url">The link to send.</param>
/// <param name="UserId">The Matrix id the account will have.</param>
/// <param name="ExpiresAt">When the link stops working.</param>
public sealed record CreatedInvite(string Url, string UserId, DateTimeOffset ExpiresAt);
