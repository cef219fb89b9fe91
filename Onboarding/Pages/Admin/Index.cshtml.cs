using System.Security.Claims;
using DendriteAspire.Admin.Matrix;
using DendriteAspire.Onboarding.Homeserver;
using DendriteAspire.Onboarding.Invites;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using MatrixSession = DendriteAspire.Onboarding.Homeserver.MatrixSession;

namespace DendriteAspire.Onboarding.Pages.Admin;

/// <summary>
/// <c>/admin</c>: a Matrix admin signs in with their own account (checked against Dendrite), creates invite links,
/// sees which are pending, used, revoked or expired, revokes a pending one, and resets passwords or removes access.
/// Every action uses the admin's own Matrix session (device "Family admin page"), which <see cref="AdminSession"/>
/// re-checks with Dendrite on each request; signing out ends that Matrix session too.
/// </summary>
[EnableRateLimiting(RateLimits.Join)]
public sealed partial class AdminModel(
    IFamilyHomeserver homeserver,
    InviteIssuer issuer,
    InviteStore store,
    IOptions<OnboardingOptions> options,
    TimeProvider time,
    ILogger<AdminModel> logger) : PageModel
{
    private readonly OnboardingOptions _options = options.Value;

    /// <summary>The signed-in admin, or <c>null</c>.</summary>
    public MatrixSession? Admin { get; private set; }

    /// <summary>A confirmation to show.</summary>
    public string? Message { get; private set; }

    /// <summary>Problems to show.</summary>
    public List<string> Errors { get; } = [];

    /// <summary>The link just created.</summary>
    public Uri? NewLink { get; private set; }

    /// <summary>When <see cref="NewLink"/> expires.</summary>
    public DateTimeOffset? NewLinkExpiresAt { get; private set; }

    /// <summary>Invites with their state.</summary>
    public IReadOnlyList<(InviteRecord Invite, string State)> Invites { get; private set; } = [];

    /// <summary>The homeserver's name.</summary>
    public string ServerName => _options.ServerName;

    /// <summary>Default link validity.</summary>
    public int DefaultExpiryHours => _options.DefaultExpiryHours;

    /// <summary>Shortest password accepted.</summary>
    public int MinimumPasswordLength => _options.MinimumPasswordLength;

    /// <summary>Why the last session ended, when it ended on this request.</summary>
    public string? SessionEnded => HttpContext.Items[AdminSession.EndedReason] as string;

    /// <summary>The page, for a signed-in admin or a sign-in form.</summary>
    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Page();
    }

    /// <summary>Password login against Dendrite, then the admin check; only admins get a session here.</summary>
    public async Task<IActionResult> OnPostSignInAsync(string? userName, string? password, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(userName) || string.IsNullOrEmpty(password))
        {
            Errors.Add("Enter your user name and password.");
            return Status(StatusCodes.Status400BadRequest);
        }

        var session = await homeserver.LoginAsync(userName.Trim(), password, DeviceNames.AdminPage, cancellationToken);
        if (session is null)
        {
            Errors.Add("The homeserver did not accept that user name and password.");
            return Status(StatusCodes.Status401Unauthorized);
        }

        if (!await homeserver.IsAdminAsync(session, cancellationToken))
        {
            LogRefused(logger, session.UserId);
            await homeserver.LogoutAsync(session.AccessToken, cancellationToken);
            Errors.Add($"{session.UserId} is not an admin of this homeserver. Ask the family admin.");
            return Status(StatusCodes.Status403Forbidden);
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, session.UserId), new Claim(AdminSession.AccessTokenClaim, session.AccessToken)],
            CookieAuthenticationDefaults.AuthenticationScheme);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return RedirectToPage();
    }

    /// <summary>Ends the session on this service and the Matrix session behind it.</summary>
    public async Task<IActionResult> OnPostSignOutAsync(CancellationToken cancellationToken)
    {
        if (AdminSession.Of(User) is { } session)
        {
            await homeserver.LogoutAsync(session.AccessToken, cancellationToken);
        }

        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return RedirectToPage();
    }

    /// <summary>Revokes one pending invite: its link stops working at once.</summary>
    public async Task<IActionResult> OnPostRevokeAsync(string? nonce, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return Status(StatusCodes.Status401Unauthorized);
        }

        var invite = Invites.Select(i => i.Invite).FirstOrDefault(i => i.Nonce == nonce);
        if (invite is null || !await store.RevokeAsync(invite.Nonce, time.GetUtcNow(), cancellationToken))
        {
            Errors.Add("That invite is not pending any more (used, revoked already, or unknown).");
            return Status(StatusCodes.Status400BadRequest);
        }

        LogRevoked(logger, invite.UserName, Admin!.UserId);
        Message = $"The invite for {_options.UserId(invite.UserName)} is revoked; its link no longer works.";
        await LoadAsync(cancellationToken);
        return Page();
    }

    /// <summary>Creates an invite link (limited with the rest of the page: rate limits apply per page, not per handler).</summary>
    public async Task<IActionResult> OnPostInviteAsync(string? userName, string? displayName, int? expiresInHours, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return Status(StatusCodes.Status401Unauthorized);
        }

        var issued = await issuer.CreateAsync(userName ?? string.Empty, displayName, expiresInHours, Admin!.UserId, cancellationToken);
        if (issued.Problem is { } problem)
        {
            Errors.Add(problem);
            return Status(StatusCodes.Status400BadRequest);
        }

        NewLink = issued.Url;
        NewLinkExpiresAt = issued.Invite!.ExpiresAt;
        await LoadAsync(cancellationToken);
        return Page();
    }

    /// <summary>Sets a new password through the Admin library.</summary>
    public async Task<IActionResult> OnPostResetPasswordAsync(string? userName, string? newPassword, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return Status(StatusCodes.Status401Unauthorized);
        }

        if (string.IsNullOrEmpty(newPassword) || newPassword.Length < _options.MinimumPasswordLength)
        {
            Errors.Add($"The new password needs at least {_options.MinimumPasswordLength} characters.");
            return Status(StatusCodes.Status400BadRequest);
        }

        if (await UserIdOrErrorAsync(userName, cancellationToken) is not { } userId)
        {
            return Status(StatusCodes.Status400BadRequest);
        }

        if (homeserver.ProtectedRole(UserNameOf(userId)) is { } role)
        {
            Errors.Add(ProtectedRefusal(userId, role, "reset its password"));
            return Status(StatusCodes.Status400BadRequest);
        }

        if (!await ActAsync(() => homeserver.ResetPasswordAsync(Admin!, UserNameOf(userId), newPassword, cancellationToken)))
        {
            return Status(StatusCodes.Status401Unauthorized);
        }

        Message = $"The password of {userId} is reset; their devices are signed out.";
        return Page();
    }

    /// <summary>Takes a user's access away through the Admin library.</summary>
    public async Task<IActionResult> OnPostRemoveAccessAsync(string? userName, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return Status(StatusCodes.Status401Unauthorized);
        }

        if (await UserIdOrErrorAsync(userName, cancellationToken) is not { } userId)
        {
            return Status(StatusCodes.Status400BadRequest);
        }

        if (userId == Admin!.UserId)
        {
            Errors.Add("You cannot remove your own access here.");
            return Status(StatusCodes.Status400BadRequest);
        }

        if (homeserver.ProtectedRole(UserNameOf(userId)) is { } role)
        {
            Errors.Add(ProtectedRefusal(userId, role, "remove its access"));
            return Status(StatusCodes.Status400BadRequest);
        }

        string? problem = null;
        if (!await ActAsync(async () => problem = await homeserver.RemoveAccessAsync(Admin!, UserNameOf(userId), cancellationToken)))
        {
            return Status(StatusCodes.Status401Unauthorized);
        }

        Message = problem is null
            ? $"{userId} can no longer sign in; their sessions are ended and they left every room."
            : $"{userId} can no longer sign in and their sessions are ended, but leaving their rooms failed ({problem}); try again.";
        return Page();
    }

    private static string ProtectedRefusal(string userId, string role, string action) =>
        $"{userId} is {role}. This page does not {action}; nothing was changed.";

    /// <summary>
    /// Runs an admin action with the signed-in admin's token; when Dendrite answers that the token is gone, the
    /// session here ends too and the page says so (false).
    /// </summary>
    private async Task<bool> ActAsync(Func<Task> action)
    {
        try
        {
            await action();
            return true;
        }
        catch (MatrixApiException e) when (e.ErrorCode == MatrixErrorCodes.UnknownToken || e.StatusCode == System.Net.HttpStatusCode.Unauthorized)
        {
            await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            HttpContext.Items[AdminSession.EndedReason] = "The homeserver no longer accepts your admin session; nothing was changed. Sign in again.";
            Admin = null;
            return false;
        }
        catch (MatrixApiException e) when (e.StatusCode == System.Net.HttpStatusCode.Forbidden)
        {
            await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            HttpContext.Items[AdminSession.EndedReason] = $"The homeserver refused: {Admin?.UserId} is no longer an admin. Nothing was changed.";
            Admin = null;
            return false;
        }
    }

    private static string UserNameOf(string userId) => userId[1..userId.IndexOf(':', StringComparison.Ordinal)];

    private async Task<string?> UserIdOrErrorAsync(string? userName, CancellationToken cancellationToken)
    {
        var name = (userName ?? string.Empty).Trim().TrimStart('@');
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            name = name[..colon];
        }

        if (homeserver.UserNameProblem(name) is { } problem)
        {
            Errors.Add(problem);
            return null;
        }

        if (!await homeserver.IsUserNameTakenAsync(name, cancellationToken))
        {
            Errors.Add($"There is no account {_options.UserId(name)}.");
            return null;
        }

        return _options.UserId(name);
    }

    /// <summary>Reads the session and the invite list; false when nobody is signed in.</summary>
    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Admin = AdminSession.Of(User);
        if (Admin is null)
        {
            return false;
        }

        var now = time.GetUtcNow();
        var invites = new List<(InviteRecord, string)>();
        foreach (var invite in await store.ListAsync(100, cancellationToken))
        {
            var taken = invite.JoinedAt is null && invite.ExpiresAt > now
                && await homeserver.IsUserNameTakenAsync(invite.UserName, cancellationToken);
            invites.Add((invite, invite.State(now, taken)));
        }

        Invites = invites;
        return true;
    }

    private PageResult Status(int statusCode)
    {
        Response.StatusCode = statusCode;
        return Page();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Revoked the invite for {UserName} ({AdminId})")]
    private static partial void LogRevoked(ILogger logger, string userName, string adminId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused admin sign-in for {UserId}: not a homeserver admin")]
    private static partial void LogRefused(ILogger logger, string userId);
}
