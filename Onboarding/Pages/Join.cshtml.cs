using DendriteAspire.Onboarding.Homeserver;
using DendriteAspire.Onboarding.Invites;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace DendriteAspire.Onboarding.Pages;

/// <summary>What the join page shows.</summary>
public enum JoinOutcome
{
    /// <summary>The password form.</summary>
    Form,
    /// <summary>The account exists and is in the family room.</summary>
    Joined,
    /// <summary>The account exists already: the link is spent.</summary>
    Used,
    /// <summary>The link ran out.</summary>
    Expired,
    /// <summary>The signature does not hold: changed, or made before the invite secret was rotated.</summary>
    Invalid,
    /// <summary>Not a link of ours at all.</summary>
    Malformed,
}

/// <summary>
/// <c>/join/&lt;token&gt;</c>: a relative picks a password; the server creates the account with shared-secret
/// registration and joins it to the family room. Works without JavaScript.
/// </summary>
[EnableRateLimiting(RateLimits.Join)]
public sealed partial class JoinModel(
    InviteIssuer issuer,
    InviteStore store,
    IFamilyHomeserver homeserver,
    IOptions<OnboardingOptions> options,
    TimeProvider time,
    ILogger<JoinModel> logger) : PageModel
{
    private readonly OnboardingOptions _options = options.Value;

    /// <summary>What the page shows.</summary>
    public JoinOutcome Outcome { get; private set; }

    /// <summary>The invite, once its signature held.</summary>
    public InviteToken? Invite { get; private set; }

    /// <summary>Problems with the submitted form.</summary>
    public List<string> Errors { get; } = [];

    /// <summary>The Matrix id the relative gets.</summary>
    public string UserId => Invite is null ? string.Empty : _options.UserId(Invite.UserName);

    /// <summary>Who invited them, as a readable id.</summary>
    public string InvitedBy => Invite?.InvitedBy ?? "the family admin";

    /// <summary>The shortest password accepted.</summary>
    public int MinimumPasswordLength => _options.MinimumPasswordLength;

    /// <summary>Element Web, when it runs.</summary>
    public Uri? ElementUrl => _options.ElementUrl;

    /// <summary>What to type into a mobile app.</summary>
    public Uri HomeserverUrl => _options.HomeserverUrl;

    /// <summary>The room new relatives join.</summary>
    public string FamilyRoomName => _options.FamilyRoomName;

    /// <summary>Shows the form, or says why the link does not work.</summary>
    public async Task<IActionResult> OnGetAsync(string? token, CancellationToken cancellationToken)
    {
        await ReadLinkAsync(token, cancellationToken);
        return PageWithStatus();
    }

    /// <summary>Creates the account, then joins it to the family room.</summary>
    public async Task<IActionResult> OnPostAsync(string? token, string? password, string? confirm, CancellationToken cancellationToken)
    {
        if (!await ReadLinkAsync(token, cancellationToken))
        {
            return PageWithStatus();
        }

        if (string.IsNullOrEmpty(password) || password.Length < _options.MinimumPasswordLength)
        {
            Errors.Add($"The password needs at least {_options.MinimumPasswordLength} characters.");
        }
        else if (!string.Equals(password, confirm, StringComparison.Ordinal))
        {
            Errors.Add("The two passwords are not the same. Type them again.");
        }

        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        MatrixSession session;
        try
        {
            session = await homeserver.RegisterAsync(Invite!.UserName, password!, Invite.DisplayName, cancellationToken);
        }
        catch (UserNameTakenException)
        {
            Outcome = JoinOutcome.Used;
            return PageWithStatus();
        }

        LogJoined(logger, session.UserId);
        await store.MarkJoinedAsync(Invite.Nonce, time.GetUtcNow(), cancellationToken);
        await homeserver.JoinFamilyRoomAsync(session, cancellationToken);
        Outcome = JoinOutcome.Joined;
        return Page();
    }

    /// <summary>Sets <see cref="Outcome"/> from the link; true when the form may be shown.</summary>
    private async Task<bool> ReadLinkAsync(string? token, CancellationToken cancellationToken)
    {
        var verification = issuer.Verify(token);
        Invite = verification.Invite;
        Outcome = verification.Status switch
        {
            InviteStatus.Valid => JoinOutcome.Form,
            InviteStatus.Expired => JoinOutcome.Expired,
            InviteStatus.Tampered => JoinOutcome.Invalid,
            _ => JoinOutcome.Malformed,
        };

        if (Outcome == JoinOutcome.Form && await homeserver.IsUserNameTakenAsync(Invite!.UserName, cancellationToken))
        {
            Outcome = JoinOutcome.Used;
        }

        return Outcome == JoinOutcome.Form;
    }

    private PageResult PageWithStatus()
    {
        Response.StatusCode = Outcome switch
        {
            JoinOutcome.Used or JoinOutcome.Expired => StatusCodes.Status410Gone,
            JoinOutcome.Invalid or JoinOutcome.Malformed => StatusCodes.Status404NotFound,
            _ => StatusCodes.Status200OK,
        };
        return Page();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created {UserId} from an invite link")]
    private static partial void LogJoined(ILogger logger, string userId);
}
