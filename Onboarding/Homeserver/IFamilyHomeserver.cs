namespace DendriteAspire.Onboarding.Homeserver;

/// <summary>
/// What onboarding asks of Dendrite. Account operations go through the Admin library (shared-secret registration,
/// login, the admin check, reset password, remove access); the family room is this service's own concern. Admin
/// operations act with the signed-in admin's own session, never with the bootstrap admin's.
/// </summary>
public interface IFamilyHomeserver
{
    /// <summary>Whether an account with this localpart exists (then its invite link is spent).</summary>
    Task<bool> IsUserNameTakenAsync(string userName, CancellationToken cancellationToken);

    /// <summary>
    /// Creates the account through shared-secret registration (the registration session is closed again).
    /// Throws <see cref="UserNameTakenException"/> when the name exists.
    /// </summary>
    Task CreateAccountAsync(string userName, string password, string? displayName, CancellationToken cancellationToken);

    /// <summary>Joins the user to the family room: the room's owner invites the user, the user joins.</summary>
    Task JoinFamilyRoomAsync(MatrixSession user, CancellationToken cancellationToken);

    /// <summary>
    /// Password login, naming the new device <paramref name="deviceName"/> (see <see cref="DeviceNames"/>); <c>null</c>
    /// when Dendrite refuses the credentials. The caller closes the session with <see cref="LogoutAsync"/>.
    /// </summary>
    Task<MatrixSession?> LoginAsync(string userName, string password, string deviceName, CancellationToken cancellationToken);

    /// <summary>Ends a session this service opened; a token Dendrite no longer knows is fine.</summary>
    Task LogoutAsync(string accessToken, CancellationToken cancellationToken);

    /// <summary>The account behind an access token; <c>null</c> when the token is unknown.</summary>
    Task<string?> WhoAmIAsync(string accessToken, CancellationToken cancellationToken);

    /// <summary>Whether the account behind the token is a Dendrite admin.</summary>
    Task<bool> IsAdminAsync(MatrixSession session, CancellationToken cancellationToken);

    /// <summary>
    /// Sets a new password for a user as <paramref name="admin"/>, signing out their devices (the Admin library's
    /// reset). The bootstrap admin is refused (<see cref="Admin.Accounts.ProtectedAccountException"/>).
    /// </summary>
    Task ResetPasswordAsync(MatrixSession admin, string userName, string newPassword, CancellationToken cancellationToken);

    /// <summary>
    /// Takes a user's access away as <paramref name="admin"/> (the Admin library's remove access); returns a problem to
    /// report, or <c>null</c>. The bootstrap admin is refused.
    /// </summary>
    Task<string?> RemoveAccessAsync(MatrixSession admin, string userName, CancellationToken cancellationToken);

    /// <summary>
    /// Why <paramref name="userName"/>'s password and access are not this service's to change (the bootstrap admin the
    /// tools sign in as, the family room's owner that onboarding signs in as), completing "… is"; null when they are.
    /// </summary>
    string? ProtectedRole(string userName);

    /// <summary>Checks a user name against the homeserver's rules; the message names the rule, or <c>null</c>.</summary>
    string? UserNameProblem(string userName);
}

/// <summary>What the sessions this service opens are called in a person's session list.</summary>
public static class DeviceNames
{
    /// <summary>The short session the join page opens to put a new relative in the family room.</summary>
    public const string InviteLink = "Invite link";

    /// <summary>An admin's session on the admin page, closed when they sign out.</summary>
    public const string AdminPage = "Family admin page";
}

/// <summary>A signed-in Matrix account.</summary>
public sealed record MatrixSession(string UserId, string AccessToken)
{
    /// <summary>Keeps the access token out of logs.</summary>
    public override string ToString() => UserId;
}

/// <summary>The user name already belongs to an account.</summary>
public sealed class UserNameTakenException(string userName) : Exception($"The user name '{userName}' is taken.")
{
    /// <summary>The localpart that exists.</summary>
    public string UserName { get; } = userName;
}
