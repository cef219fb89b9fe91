namespace DendriteAspire.Admin.Accounts;

/// <summary>What a family admin asks for when adding someone.</summary>
/// <param name="UserName">The new user's name (checked already).</param>
/// <param name="DisplayName">The name others see; null or blank for none.</param>
/// <param name="IsAdmin">Whether the new account may use the admin API.</param>
/// <param name="Password">The password to set; null to generate one (see <see cref="AccountPassword.Generate"/>).</param>
public sealed record NewAccount(UserName UserName, string? DisplayName = null, bool IsAdmin = false, string? Password = null)
{
    /// <summary>Keeps the password out of logs.</summary>
    public override string ToString() => $"{UserName} (admin: {IsAdmin}, display name: {DisplayName ?? "none"})";
}

/// <summary>An account that now exists.</summary>
/// <param name="UserId">The full user id, <c>@name:server</c>.</param>
/// <param name="Password">The password it signs in with; show it once, never log it.</param>
/// <param name="PasswordWasGenerated">True when the library generated <see cref="Password"/>.</param>
/// <param name="IsAdmin">Whether it was made an admin.</param>
/// <param name="DisplayNameProblem">
/// Null when everything was done. Otherwise the account exists and signs in, but setting the display name failed, for
/// this reason (the caller should say so, and give the account anyway).
/// </param>
public sealed record CreatedAccount(string UserId, string Password, bool PasswordWasGenerated, bool IsAdmin, string? DisplayNameProblem)
{
    /// <summary>True when the display name, if any, was set too.</summary>
    public bool IsComplete => DisplayNameProblem is null;

    /// <summary>Keeps the password out of logs.</summary>
    public override string ToString() => $"{UserId} (admin: {IsAdmin}{(IsComplete ? "" : $", display name not set: {DisplayNameProblem}")})";
}

/// <summary>A password that was reset.</summary>
/// <param name="UserId">The full user id.</param>
/// <param name="Password">The new password; show it once, never log it.</param>
/// <param name="PasswordWasGenerated">True when the library generated it.</param>
public sealed record PasswordReset(string UserId, string Password, bool PasswordWasGenerated)
{
    /// <summary>Keeps the password out of logs.</summary>
    public override string ToString() => UserId;
}

/// <summary>What removing someone's access did.</summary>
/// <param name="UserId">The full user id.</param>
/// <param name="RoomsLeft">What Dendrite reported as affected when the user left every room.</param>
/// <param name="RoomsProblem">
/// Null when complete. Otherwise the password was already replaced and every session ended (the person can no longer
/// sign in), but leaving the rooms failed for this reason; run it again.
/// </param>
public sealed record AccessRemoved(string UserId, IReadOnlyList<string> RoomsLeft, string? RoomsProblem)
{
    /// <summary>True when the user also left every room.</summary>
    public bool IsComplete => RoomsProblem is null;
}

/// <summary>Who the admin credentials sign in as.</summary>
/// <param name="UserId">The full user id.</param>
/// <param name="IsAdmin">Whether Dendrite lets that user call the admin API.</param>
public sealed record AdminIdentity(string UserId, bool IsAdmin);

/// <summary>The outcome of making sure the bootstrap admin exists.</summary>
/// <param name="UserName">The admin's name.</param>
/// <param name="Created">True when the account was made now; false when it existed and was left alone.</param>
/// <param name="Identity">Who the credentials sign in as, when they do.</param>
/// <param name="SignInProblem">Why the credentials do not sign in (for example the account predates the password).</param>
public sealed record AdminAccountResult(UserName UserName, bool Created, AdminIdentity? Identity, string? SignInProblem);

/// <summary>The bootstrap admin's credentials, used to sign in for the admin API.</summary>
/// <param name="UserName">The admin's name, for example <c>admin</c>.</param>
/// <param name="Password">The admin's password; a secret.</param>
public sealed record AdminCredentials(UserName UserName, string Password)
{
    /// <summary>Keeps the password out of logs.</summary>
    public override string ToString() => UserName.Value;
}

/// <summary>What <see cref="FamilyAccounts"/> needs; each part only for the operations that use it.</summary>
public sealed record FamilyAccountsOptions
{
    /// <summary>The registration shared secret: needed to create accounts. A secret.</summary>
    public string? SharedSecret { get; init; }

    /// <summary>The admin to sign in as: needed to reset passwords, remove access and reindex.</summary>
    public AdminCredentials? Admin { get; init; }

    /// <summary>
    /// The bootstrap admin (<c>Dendrite:Admin:UserName</c>): the account whose password is the secret parameter
    /// <c>dendrite-admin-password</c> that the product's own tools sign in with. Resetting its password or removing its
    /// access is refused, because it would lock those tools out. When null, <see cref="Admin"/>'s user name is protected.
    /// </summary>
    public UserName? BootstrapAdmin { get; init; }

    /// <summary>The family room's owner that the onboarding service and the AppHost make: <c>family-rooms</c>.</summary>
    public const string DefaultRoomOwner = "family-rooms";

    /// <summary>
    /// The service account that owns the Family room (default <see cref="DefaultRoomOwner"/>): onboarding signs in with
    /// its password (the secret parameter <c>onboarding-room-owner-password</c>) to invite every new relative. Resetting
    /// its password or removing its access is refused, because every join would then fail. Null protects no room owner.
    /// </summary>
    public UserName? RoomOwner { get; init; } = UserName.Parse(DefaultRoomOwner);

    /// <summary>
    /// The homeserver's server name (<c>family.example</c> in <c>@alice:family.example</c>). When null it is learnt
    /// from the admin's user id at sign-in; account creation without it checks the full-id length on Dendrite's side.
    /// </summary>
    public string? ServerName { get; init; }

    /// <summary>Keeps the secrets out of logs.</summary>
    public override string ToString() =>
        $"server name: {ServerName ?? "unknown"}, shared secret: {(SharedSecret is null ? "none" : "set")}, admin: {Admin?.UserName.Value ?? "none"}, bootstrap admin: {BootstrapAdmin?.Value ?? Admin?.UserName.Value ?? "none"}, room owner: {RoomOwner?.Value ?? "none"}";
}

/// <summary>What <see cref="FamilyAccounts.HandOverRoomAsync"/> did.</summary>
public enum RoomHandover
{
    /// <summary>No room has the alias yet: nothing to hand over (its new owner will create it).</summary>
    NoRoom,

    /// <summary>The user was raised to power level 100 and/or invited now.</summary>
    HandedOver,

    /// <summary>The user was at power level 100 and in the room (or invited) already.</summary>
    AlreadyDone,
}
