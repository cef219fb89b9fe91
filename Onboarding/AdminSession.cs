using System.Security.Claims;
using DendriteAspire.Admin.Matrix;
using DendriteAspire.Onboarding.Homeserver;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using MatrixSession = DendriteAspire.Onboarding.Homeserver.MatrixSession;

namespace DendriteAspire.Onboarding;

/// <summary>
/// The admin page's session: a cookie that carries the admin's own Matrix access token (encrypted with the
/// data-protection keys). Every request that carries it asks Dendrite again who the token belongs to and whether that
/// account is still an admin; a token Dendrite forgot, or an account no longer admin, ends the session there and then.
/// </summary>
public static partial class AdminSession
{
    /// <summary>The cookie's name.</summary>
    public const string CookieName = "onboarding-admin";

    /// <summary>The claim holding the Matrix access token.</summary>
    public const string AccessTokenClaim = "matrix_access_token";

    /// <summary>Why the session ended on this request, for the sign-in form (a string in HttpContext.Items).</summary>
    public const string EndedReason = "onboarding-admin-session-ended";

    /// <summary>The signed-in admin's Matrix session, or <c>null</c>.</summary>
    public static MatrixSession? Of(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Identity?.IsAuthenticated == true && user.Identity.Name is { } userId && user.FindFirstValue(AccessTokenClaim) is { } token
            ? new MatrixSession(userId, token)
            : null;
    }

    /// <summary>The cookie handler's <c>OnValidatePrincipal</c>: whoami and the admin check, on every request.</summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        var homeserver = http.RequestServices.GetRequiredService<IFamilyHomeserver>();
        var logger = http.RequestServices.GetRequiredService<ILogger<AdminSessionLog>>();
        if (context.Principal is not { } principal || Of(principal) is not { } session)
        {
            await EndAsync(context, "Your admin session is incomplete; sign in again.");
            return;
        }

        string? owner;
        bool isAdmin;
        try
        {
            owner = await homeserver.WhoAmIAsync(session.AccessToken, http.RequestAborted);
            isAdmin = owner == session.UserId && await homeserver.IsAdminAsync(session, http.RequestAborted);
        }
        catch (Exception e) when (e is MatrixApiException or HttpRequestException || (e is OperationCanceledException && !http.RequestAborted.IsCancellationRequested))
        {
            // Fail closed for this request only: the cookie stays, the next request checks again.
            LogUnchecked(logger, session.UserId, e.Message);
            context.RejectPrincipal();
            http.Items[EndedReason] = "The homeserver did not answer, so your admin rights could not be checked. Try again in a moment.";
            return;
        }

        if (owner is null)
        {
            LogTokenGone(logger, session.UserId);
            await EndAsync(context, "The homeserver no longer accepts your admin session (it was signed out, or the password changed). Sign in again.");
        }
        else if (!isAdmin)
        {
            LogNoLongerAdmin(logger, session.UserId);
            await homeserver.LogoutAsync(session.AccessToken, http.RequestAborted);
            await EndAsync(context, $"{session.UserId} is no longer an admin of this homeserver, so the admin session ended.");
        }
    }

    private static async Task EndAsync(CookieValidatePrincipalContext context, string reason)
    {
        context.RejectPrincipal();
        context.HttpContext.Items[EndedReason] = reason;
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ended the admin session of {UserId}: Dendrite no longer knows its token")]
    private static partial void LogTokenGone(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ended the admin session of {UserId}: no longer a homeserver admin")]
    private static partial void LogNoLongerAdmin(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check the admin session of {UserId}: {Problem}")]
    private static partial void LogUnchecked(ILogger logger, string userId, string problem);
}

/// <summary>The log category of <see cref="AdminSession"/>.</summary>
public sealed class AdminSessionLog;
