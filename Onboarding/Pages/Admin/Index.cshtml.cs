using System.Security.Claims;
using DendriteAspire.Onboarding.Homeserver;
using DendriteAspire.Onboarding.Invites;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace DendriteAspire.Onboarding.Pages.Admin;

/// <summary>
/// <c>/admin</c>: a Matrix admin signs in with their own account (checked against Dendrite), creates invite links,
/// sees which are pending, used or expired, and resets passwords or removes access.
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
    internal const string AccessTokenClaim = "matrix_access_token";

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

        var session = await homeserver.LoginAsync(userName.Trim(), password, cancellationToken);
        if (session is null)
        {
            Errors.Add("The homeserver did not accept that user name and password.");
            return Status(StatusCodes.Status401Unauthorized);
        }

        if (!await homeserver.IsAdminAsync(session, cancellationToken))
        {
            LogRefused(logger, session.UserId);
            Errors.Add($"{session.UserId} is not an admin of this homeserver. Ask the family admin.");
            return Status(StatusCodes.Status403Forbidden);
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, session.UserId), new Claim(AccessTokenClaim, session.AccessToken)],
            CookieAuthenticationDefaults.AuthenticationScheme);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return RedirectToPage();
    }

    /// <summary>Ends the session on this service.</summary>
    public async Task<IActionResult> OnPostSignOutAsync()
    {
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return RedirectToPage();
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

        await homeserver.ResetPasswordAsync(UserNameOf(userId), newPassword, cancellationToken);
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

        var problem = await homeserver.RemoveAccessAsync(UserNameOf(userId), cancellationToken);
        Message = problem is null
            ? $"{userId} can no longer sign in; their sessions are ended and they left every room."
            : $"{userId} can no longer sign in and their sessions are ended, but leaving their rooms failed ({problem}); try again.";
        return Page();
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
        var token = User.FindFirstValue(AccessTokenClaim);
        if (User.Identity?.IsAuthenticated != true || token is null || User.Identity.Name is not { } userId)
        {
            Admin = null;
            return false;
        }

        Admin = new MatrixSession(userId, token);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused admin sign-in for {UserId}: not a homeserver admin")]
    private static partial void LogRefused(ILogger logger, string userId);
}
