namespace DendriteAspire.Onboarding.Homeserver;

/// <summary>
/// What onboarding asks of Dendrite. Account operations go through the Admin library (shared-secret registration,
/// login, the admin check, reset password, remove access); the family room is this service's own concern.
/// </summary>
public interface IFamilyHomeserver
{
    /// <summary>Whether an account with this localpart exists (then its invite link is spent).</summary>
    Task<bool> IsUserNameTakenAsync(string userName, CancellationToken cancellationToken);

    /// <summary>
    /// Creates the account through shared-secret registration and returns a session for it.
    /// Throws <see cref="UserNameTakenException"/> when the name exists.
    /// </summary>
    Task<MatrixSession> RegisterAsync(string userName, string password, string? displayName, CancellationToken cancellationToken);

    /// <summary>Joins the user to the family room: the bootstrap admin creates it once, invites the user, the user joins.</summary>
    Task JoinFamilyRoomAsync(MatrixSession user, CancellationToken cancellationToken);

    /// <summary>Password login; <c>null</c> when Dendrite refuses the credentials.</summary>
    Task<MatrixSession?> LoginAsync(string userName, string password, CancellationToken cancellationToken);

    /// <summary>The account behind an access token; <c>null</c> when the token is unknown.</summary>
    Task<string?> WhoAmIAsync(string accessToken, CancellationToken cancellationToken);

    /// <summary>Whether the account behind the token is a Dendrite admin.</summary>
    Task<bool> IsAdminAsync(MatrixSession session, CancellationToken cancellationToken);

    /// <summary>Sets a new password for a user, signing out their devices (the Admin library's reset).</summary>
    Task ResetPasswordAsync(string userName, string newPassword, CancellationToken cancellationToken);

    /// <summary>Takes a user's access away (the Admin library's remove access); returns a problem to report, or <c>null</c>.</summary>
    Task<string?> RemoveAccessAsync(string userName, CancellationToken cancellationToken);

    /// <summary>Checks a user name against the homeserver's rules; the message names the rule, or <c>null</c>.</summary>
    string? UserNameProblem(string userName);
}

/// <summary>A signed-in Matrix account.</summary>
public sealed record MatrixSession(string UserId, string AccessToken);

/// <summary>The user name already belongs to an account.</summary>
public sealed class UserNameTakenException(string userName) : Exception($"The user name '{userName}' is taken.")
{
    /// <summary>The localpart that exists.</summary>
    public string UserName { get; } = userName;
}
