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
    /// <summary>The family admin revoked this one link.</summary>
    Revoked,
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
    OnboardingMetrics metrics,
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

    /// <summary>
    /// True when <see cref="HomeserverUrl"/> is a loopback address (<c>http://localhost:8008</c>): on a phone that is the
    /// phone itself, so the page never offers it as something to type.
    /// </summary>
    public bool HomeserverUrlIsLoopback => _options.HomeserverUrlIsLoopback;

    /// <summary>The room new relatives join.</summary>
    public string FamilyRoomName => _options.FamilyRoomName;

    /// <summary>Shows the form, or says why the link does not work.</summary>
    public async Task<IActionResult> OnGetAsync(string? token, CancellationToken cancellationToken)
    {
        await ReadLinkAsync(token, cancellationToken);
        return PageWithStatus();
    }

    /// <summary>
    /// Creates the account, then joins it to the family room. When the account exists already and the password typed
    /// here signs in to it, the account came from this link on an earlier try that did not finish (a lost answer, a
    /// failed room join): the job is finished instead of calling the link used.
    /// </summary>
    public async Task<IActionResult> OnPostAsync(string? token, string? password, string? confirm, CancellationToken cancellationToken)
    {
        if (!await ReadLinkAsync(token, cancellationToken))
        {
            if (Outcome == JoinOutcome.Used && !string.IsNullOrEmpty(password))
            {
                return await FinishAsync(password, cancellationToken);
            }

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

        try
        {
            await homeserver.CreateAccountAsync(Invite!.UserName, password!, Invite.DisplayName, cancellationToken);
        }
        catch (UserNameTakenException)
        {
            // Made a moment ago (by this link in another tab, say): the password decides whether it is this person's.
            return await FinishAsync(password!, cancellationToken);
        }
        catch (Exception e) when (IsHomeserverFailure(e, cancellationToken))
        {
            LogUnfinished(logger, UserId, "create the account", e.Message);
            return TryAgain("The family server did not confirm that your account was made.");
        }

        LogCreated(logger, UserId);
        return await FinishAsync(password!, cancellationToken);
    }

    /// <summary>Signs in as the new account (device "Invite link"), joins the family room, signs out again.</summary>
    private async Task<IActionResult> FinishAsync(string password, CancellationToken cancellationToken)
    {
        MatrixSession? session;
        try
        {
            session = await homeserver.LoginAsync(Invite!.UserName, password, DeviceNames.InviteLink, cancellationToken);
        }
        catch (Exception e) when (IsHomeserverFailure(e, cancellationToken))
        {
            LogUnfinished(logger, UserId, "sign in", e.Message);
            return TryAgain("The family server did not answer.");
        }

        if (session is null)
        {
            // Someone else's account, or this person with another password: nothing to finish here.
            Outcome = JoinOutcome.Used;
            return PageWithStatus();
        }

        try
        {
            await homeserver.JoinFamilyRoomAsync(session, cancellationToken);
        }
        catch (Exception e) when (IsHomeserverFailure(e, cancellationToken))
        {
            LogUnfinished(logger, UserId, "join the family room", e.Message);
            return TryAgain($"Your account {UserId} exists, but joining the {_options.FamilyRoomName} room failed.");
        }
        finally
        {
            await SignOutQuietlyAsync(session);
        }

        await store.MarkJoinedAsync(Invite.Nonce, time.GetUtcNow(), cancellationToken);
        Outcome = JoinOutcome.Joined;
        metrics.Joined();
        return Page();
    }

    private PageResult TryAgain(string what)
    {
        Outcome = JoinOutcome.Form;
        Errors.Add($"{what} Type the same password again and press the button to finish; nothing is lost.");
        Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        return Page();
    }

    private async Task SignOutQuietlyAsync(MatrixSession session)
    {
        try
        {
            await homeserver.LogoutAsync(session.AccessToken, CancellationToken.None);
        }
        catch (Exception e) when (IsHomeserverFailure(e, CancellationToken.None))
        {
            LogUnfinished(logger, session.UserId, "sign the invite-link session out", e.Message);
        }
    }

    private static bool IsHomeserverFailure(Exception e, CancellationToken cancellationToken) =>
        e is DendriteAspire.Admin.Matrix.MatrixApiException or HttpRequestException or InvalidOperationException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        || e.GetType().Name == "TimeoutRejectedException" || e.GetType().Name == "BrokenCircuitException";

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

        if (Outcome == JoinOutcome.Form && await store.IsRevokedAsync(Invite!.Nonce, cancellationToken))
        {
            Outcome = JoinOutcome.Revoked;
        }
        else if (Outcome == JoinOutcome.Form && await homeserver.IsUserNameTakenAsync(Invite!.UserName, cancellationToken))
        {
            Outcome = JoinOutcome.Used;
        }

        if (Outcome != JoinOutcome.Form)
        {
            metrics.LinkRefused(Outcome.ToString().ToLowerInvariant());
        }

        return Outcome == JoinOutcome.Form;
    }

    private PageResult PageWithStatus()
    {
        Response.StatusCode = Outcome switch
        {
            JoinOutcome.Used or JoinOutcome.Expired or JoinOutcome.Revoked => StatusCodes.Status410Gone,
            JoinOutcome.Invalid or JoinOutcome.Malformed => StatusCodes.Status404NotFound,
            _ => StatusCodes.Status200OK,
        };
        return Page();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created {UserId} from an invite link")]
    private static partial void LogCreated(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Joining {UserId} is unfinished: could not {Step} ({Problem}); the relative can submit again")]
    private static partial void LogUnfinished(ILogger logger, string userId, string step, string problem);
}
