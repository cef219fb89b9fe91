using System.Net;
using System.Text.Json.Nodes;
using DendriteAspire.Admin.Matrix;

namespace DendriteAspire.Admin.Accounts;

/// <summary>
/// What a family admin does, over Dendrite's real HTTP API: add a member (shared-secret registration), reset a
/// password, remove access, check that an account exists, make sure the bootstrap admin exists, and start a search
/// reindex. Admin operations sign in as <see cref="FamilyAccountsOptions.Admin"/> once and sign in again when the
/// token stops working. Thread-safe. Disposing signs the admin session out.
/// </summary>
/// <example>
/// <code>
/// using var http = new HttpClient { BaseAddress = new Uri("http://localhost:8008") };
/// await using var accounts = new FamilyAccounts(new DendriteAdminClient(http), new FamilyAccountsOptions
/// {
///     SharedSecret = sharedSecret,
///     Admin = new AdminCredentials(UserName.Parse("admin"), adminPassword),
/// });
/// var created = await accounts.CreateAccountAsync(new NewAccount(UserName.Parse("alice"), "Alice"));
/// Console.WriteLine($"{created.UserId} signs in with {created.Password}");
/// </code>
/// </example>
public sealed class FamilyAccounts : IAsyncDisposable
{
    private readonly DendriteAdminClient _client;
    private readonly FamilyAccountsOptions _options;
    private readonly SemaphoreSlim _signIn = new(1, 1);
    private MatrixSession? _adminSession;
    private string? _serverName;

    /// <summary>Operations over <paramref name="client"/> with the credentials in <paramref name="options"/>.</summary>
    public FamilyAccounts(DendriteAdminClient client, FamilyAccountsOptions options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        _client = client;
        _options = options;
        _serverName = string.IsNullOrWhiteSpace(options.ServerName) ? null : options.ServerName.Trim();
    }

    /// <summary>The low-level client these operations use.</summary>
    public DendriteAdminClient Client => _client;

    /// <summary>The server name, when known (given, or learnt at the admin's sign-in).</summary>
    public string? ServerName => _serverName;

    /// <summary>
    /// Creates an account through shared-secret registration, then sets its display name with the new account's own
    /// session and signs that session out. An existing name is a <see cref="MatrixApiException"/>
    /// (<c>M_USER_IN_USE</c>) saying "alice already exists". When only the display name fails, the account is returned
    /// anyway with <see cref="CreatedAccount.DisplayNameProblem"/> set.
    /// </summary>
    public async Task<CreatedAccount> CreateAccountAsync(NewAccount account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        var userName = account.UserName.Value;
        var sharedSecret = _options.SharedSecret;
        if (string.IsNullOrEmpty(sharedSecret))
        {
            throw new InvalidOperationException("creating an account needs the registration shared secret (FamilyAccountsOptions.SharedSecret)");
        }

        if (_serverName is not null)
        {
            account.UserName.ToUserId(_serverName);
        }

        var generated = account.Password is null;
        var password = account.Password ?? AccountPassword.Generate();
        AccountPassword.Validate(password);

        MatrixSession session;
        try
        {
            session = await _client.RegisterWithSharedSecretAsync(sharedSecret, userName, password, account.IsAdmin, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (MatrixApiException e) when (e.ErrorCode == MatrixErrorCodes.UserInUse)
        {
            throw new MatrixApiException(e.Operation, e.StatusCode, e.ErrorCode, e.Reason, $"{userName} already exists");
        }

        string? displayNameProblem = null;
        if (!string.IsNullOrWhiteSpace(account.DisplayName))
        {
            try
            {
                await _client.SetDisplayNameAsync(session.AccessToken, session.UserId, account.DisplayName.Trim(), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is MatrixApiException or HttpRequestException)
            {
                displayNameProblem = e.Message;
            }
        }

        await SignOutQuietlyAsync(session, cancellationToken).ConfigureAwait(false);
        return new CreatedAccount(session.UserId, password, generated, account.IsAdmin, displayNameProblem);
    }

    /// <summary>
    /// Sets a new password (generated when <paramref name="password"/> is null) and ends every session of the user, so
    /// the old password and old devices stop working. A missing user is a <see cref="MatrixApiException"/> saying so.
    /// The bootstrap admin's and the family room owner's passwords are refused (<see cref="ProtectedAccountException"/>).
    /// </summary>
    public async Task<PasswordReset> ResetPasswordAsync(UserName userName, string? password = null, CancellationToken cancellationToken = default)
    {
        RefuseProtected(userName, "reset the password of");
        var generated = password is null;
        var newPassword = password ?? AccountPassword.Generate();
        AccountPassword.Validate(newPassword);
        var userId = await UserIdAsync(userName, cancellationToken).ConfigureAwait(false);
        await WithAdminAsync(async (admin, ct) =>
        {
            await _client.ResetPasswordAsync(admin.AccessToken, userId, newPassword, logoutDevices: true, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
        return new PasswordReset(userId, newPassword, generated);
    }

    /// <summary>
    /// The same reset, acting as <paramref name="actingAdmin"/> (a signed-in admin's own session, as on the admin page)
    /// instead of the configured admin. A token Dendrite no longer knows is a <see cref="MatrixApiException"/>
    /// (<c>M_UNKNOWN_TOKEN</c>); it is never replaced by another sign-in.
    /// </summary>
    public async Task<PasswordReset> ResetPasswordAsync(UserName userName, string? password, MatrixSession actingAdmin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actingAdmin);
        RefuseProtected(userName, "reset the password of");
        var generated = password is null;
        var newPassword = password ?? AccountPassword.Generate();
        AccountPassword.Validate(newPassword);
        var userId = userName.ToUserId(_serverName ?? ServerNameOf(actingAdmin.UserId));
        await _client.ResetPasswordAsync(actingAdmin.AccessToken, userId, newPassword, logoutDevices: true, cancellationToken).ConfigureAwait(false);
        return new PasswordReset(userId, newPassword, generated);
    }

    /// <summary>
    /// Removes someone's access. Dendrite has no admin "deactivate", so: a random password nobody knows, every session
    /// ended, then the user leaves every room. The first step alone already stops the person signing in; when only
    /// leaving the rooms fails, the result says so (<see cref="AccessRemoved.RoomsProblem"/>). Refuses to remove the
    /// access of the admin these operations sign in as, and of the bootstrap admin.
    /// </summary>
    public async Task<AccessRemoved> RemoveAccessAsync(UserName userName, CancellationToken cancellationToken = default)
    {
        RefuseProtected(userName, "remove the access of");
        var userId = await UserIdAsync(userName, cancellationToken).ConfigureAwait(false);
        var admin = await GetAdminSessionAsync(cancellationToken).ConfigureAwait(false);
        if (string.Equals(admin.UserId, userId, StringComparison.Ordinal))
        {
            throw new ArgumentException($"{userId} is the admin these tools sign in as; removing its access would lock every admin tool out", nameof(userName));
        }

        var unknown = AccountPassword.Generate() + AccountPassword.Generate();
        await WithAdminAsync(async (session, ct) =>
        {
            await _client.ResetPasswordAsync(session.AccessToken, userId, unknown, logoutDevices: true, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
        try
        {
            var rooms = await WithAdminAsync((session, ct) => _client.EvacuateUserAsync(session.AccessToken, userId, ct), cancellationToken)
                .ConfigureAwait(false);
            return new AccessRemoved(userId, rooms, null);
        }
        catch (Exception e) when (e is MatrixApiException or HttpRequestException)
        {
            return new AccessRemoved(userId, [], e.Message);
        }
    }

    /// <summary>
    /// The same removal, acting as <paramref name="actingAdmin"/> (a signed-in admin's own session). Refuses the acting
    /// admin's own account and the bootstrap admin.
    /// </summary>
    public async Task<AccessRemoved> RemoveAccessAsync(UserName userName, MatrixSession actingAdmin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actingAdmin);
        RefuseProtected(userName, "remove the access of");
        var userId = userName.ToUserId(_serverName ?? ServerNameOf(actingAdmin.UserId));
        if (string.Equals(actingAdmin.UserId, userId, StringComparison.Ordinal))
        {
            throw new ArgumentException($"{userId} is the signed-in admin; removing your own access is refused", nameof(userName));
        }

        var unknown = AccountPassword.Generate() + AccountPassword.Generate();
        await _client.ResetPasswordAsync(actingAdmin.AccessToken, userId, unknown, logoutDevices: true, cancellationToken).ConfigureAwait(false);
        try
        {
            return new AccessRemoved(userId, await _client.EvacuateUserAsync(actingAdmin.AccessToken, userId, cancellationToken).ConfigureAwait(false), null);
        }
        catch (Exception e) when (e is MatrixApiException or HttpRequestException)
        {
            return new AccessRemoved(userId, [], e.Message);
        }
    }

    /// <summary>The bootstrap admin these operations protect (<see cref="FamilyAccountsOptions.BootstrapAdmin"/>), if known.</summary>
    public UserName? BootstrapAdmin => _options.BootstrapAdmin ?? _options.Admin?.UserName;

    /// <summary>The family room's owner these operations protect (<see cref="FamilyAccountsOptions.RoomOwner"/>), if any.</summary>
    public UserName? RoomOwner => _options.RoomOwner;

    /// <summary>
    /// Why <paramref name="userName"/>'s password and access must not be changed by these tools (the bootstrap admin,
    /// the family room's owner), as one sentence completing "… is", or null when nothing protects it.
    /// </summary>
    public string? ProtectedRole(UserName userName)
    {
        if (BootstrapAdmin is { } bootstrap && bootstrap.Value == userName.Value)
        {
            return "the bootstrap admin, whose password is the secret parameter dendrite-admin-password " +
                "that the dashboard commands, the bootstrap step and the admin CLI sign in with; changing it would lock them out. " +
                "Use another admin account for yourself, and keep this one for the tools";
        }

        if (RoomOwner is { } owner && owner.Value == userName.Value)
        {
            return "the service account that owns the Family room, whose password is the secret parameter onboarding-room-owner-password " +
                "that onboarding signs in with to invite every new relative; changing it would make every invite link fail at the join. " +
                "It is not a person's account and needs no care";
        }

        return null;
    }

    private void RefuseProtected(UserName userName, string action)
    {
        if (ProtectedRole(userName) is { } role)
        {
            throw new ProtectedAccountException(userName, $"refused to {action} {userName}: it is {role}");
        }
    }

    /// <summary>Whether an account with this name exists (<c>/register/available</c>; no credentials needed).</summary>
    public async Task<bool> AccountExistsAsync(UserName userName, CancellationToken cancellationToken = default) =>
        !await _client.IsUserNameAvailableAsync(userName.Value, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Signs in as the configured admin (once; again after the token stops working) and returns the session. The
    /// server name is learnt from the admin's user id when it was not given.
    /// </summary>
    public Task<MatrixSession> LoginAsync(CancellationToken cancellationToken = default) => GetAdminSessionAsync(cancellationToken);

    /// <summary>
    /// A session of the configured admin of its own, named <paramref name="deviceName"/>, for one piece of work; the
    /// caller ends it with <see cref="SignOutAsync"/>. Unlike <see cref="LoginAsync"/>, nothing is kept.
    /// </summary>
    public async Task<MatrixSession> SignInAdminAsync(string deviceName, CancellationToken cancellationToken = default)
    {
        var credentials = _options.Admin ?? throw new InvalidOperationException("this needs the admin's credentials (FamilyAccountsOptions.Admin)");
        var session = await _client.LoginAsync(credentials.UserName.Value, credentials.Password, deviceName, cancellationToken).ConfigureAwait(false);
        _serverName ??= ServerNameOf(session.UserId);
        return session;
    }

    /// <summary>Ends a session; one Dendrite no longer knows, or a failure to reach it, is ignored.</summary>
    public Task SignOutAsync(MatrixSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        return SignOutQuietlyAsync(session, cancellationToken);
    }

    /// <summary>Signs out the admin session kept by <see cref="LoginAsync"/> and the admin operations, if there is one.</summary>
    public async Task SignOutAdminAsync(CancellationToken cancellationToken = default)
    {
        var session = Interlocked.Exchange(ref _adminSession, null);
        if (session is not null)
        {
            await SignOutQuietlyAsync(session, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Who the admin credentials sign in as, and whether Dendrite treats that user as an admin.</summary>
    public async Task<AdminIdentity> WhoAmIAsync(CancellationToken cancellationToken = default)
    {
        var userId = await WithAdminAsync((session, ct) => _client.WhoAmIAsync(session.AccessToken, ct), cancellationToken).ConfigureAwait(false);
        var isAdmin = await WithAdminAsync((session, ct) => _client.IsAdminAsync(session.AccessToken, ct), cancellationToken).ConfigureAwait(false);
        return new AdminIdentity(userId, isAdmin);
    }

    /// <summary>Whether the admin credentials sign in as a Dendrite admin (whoami, then an admin-only read).</summary>
    public async Task<bool> IsAdminAsync(CancellationToken cancellationToken = default) =>
        (await WhoAmIAsync(cancellationToken).ConfigureAwait(false)).IsAdmin;

    /// <summary>Starts Dendrite's full-text search reindex (after a SQLite to Postgres migration, for example).</summary>
    public Task ReindexSearchAsync(CancellationToken cancellationToken = default) =>
        WithAdminAsync(async (session, ct) =>
        {
            await _client.ReindexSearchAsync(session.AccessToken, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>
    /// Makes sure the bootstrap admin (<see cref="FamilyAccountsOptions.Admin"/>) exists. Idempotent: an existing
    /// account is left alone and its password never changed; a missing one is created as an admin with the configured
    /// password. Then signs in to report who the credentials are (a sign-in failure is reported, not thrown).
    /// </summary>
    public async Task<AdminAccountResult> EnsureAdminAccountAsync(CancellationToken cancellationToken = default)
    {
        var credentials = _options.Admin ?? throw new InvalidOperationException("no admin configured (FamilyAccountsOptions.Admin)");
        var created = false;
        if (!await AccountExistsAsync(credentials.UserName, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await CreateAccountAsync(new NewAccount(credentials.UserName, IsAdmin: true, Password: credentials.Password), cancellationToken)
                    .ConfigureAwait(false);
                created = true;
            }
            catch (MatrixApiException e) when (e.ErrorCode == MatrixErrorCodes.UserInUse)
            {
                // Made by someone else between the check and the registration: it exists, which is what we want.
            }
        }

        try
        {
            return new AdminAccountResult(credentials.UserName, created, await WhoAmIAsync(cancellationToken).ConfigureAwait(false), null);
        }
        catch (MatrixApiException e)
        {
            return new AdminAccountResult(credentials.UserName, created, null, e.Message);
        }
    }

    /// <summary>
    /// Makes sure an account exists, creating it from <paramref name="account"/> (shared-secret registration) when it
    /// does not; an existing account and its password are left alone. For service accounts made once.
    /// </summary>
    /// <returns>True when the account was made now.</returns>
    public async Task<bool> EnsureAccountAsync(NewAccount account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (await AccountExistsAsync(account.UserName, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        try
        {
            await CreateAccountAsync(account, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (MatrixApiException e) when (e.ErrorCode == MatrixErrorCodes.UserInUse)
        {
            // Made by someone else between the check and the registration: it exists, which is what we want.
            return false;
        }
    }

    /// <summary>
    /// Hands the room named <paramref name="alias"/> over to <paramref name="userId"/> as the admin: raises the user to
    /// power level 100 there and invites it (the user accepts by joining). Idempotent: a user at 100 who is joined or
    /// invited already changes nothing, and a missing room is <see cref="RoomHandover.NoRoom"/>. Needs
    /// <see cref="FamilyAccountsOptions.Admin"/> to be a member allowed to change power levels (the room's creator).
    /// </summary>
    public Task<RoomHandover> HandOverRoomAsync(string alias, string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(alias);
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return WithAdminAsync(async (session, ct) =>
        {
            if (await _client.ResolveRoomAliasAsync(session.AccessToken, alias, ct).ConfigureAwait(false) is not { } roomId)
            {
                return RoomHandover.NoRoom;
            }

            var changed = false;
            var powerLevels = await _client.GetRoomStateAsync(session.AccessToken, roomId, "m.room.power_levels", "", ct).ConfigureAwait(false) ?? [];
            var users = powerLevels["users"] as JsonObject;
            if (users is null)
            {
                users = [];
                powerLevels["users"] = users;
            }

            if (users[userId] is not JsonValue level || !level.TryGetValue<long>(out var current) || current != RoomOwnerLevel)
            {
                users[userId] = RoomOwnerLevel;
                await _client.SetRoomStateAsync(session.AccessToken, roomId, "m.room.power_levels", "", powerLevels, ct).ConfigureAwait(false);
                changed = true;
            }

            var member = await _client.GetRoomStateAsync(session.AccessToken, roomId, "m.room.member", userId, ct).ConfigureAwait(false);
            if (member?["membership"]?.GetValue<string>() is not ("join" or "invite"))
            {
                await _client.InviteAsync(session.AccessToken, roomId, userId, ct).ConfigureAwait(false);
                changed = true;
            }

            return changed ? RoomHandover.HandedOver : RoomHandover.AlreadyDone;
        }, cancellationToken);
    }

    private const long RoomOwnerLevel = 100;

    /// <summary>Signs the admin session out, if there is one.</summary>
    public async ValueTask DisposeAsync()
    {
        var session = Interlocked.Exchange(ref _adminSession, null);
        if (session is not null)
        {
            await SignOutQuietlyAsync(session, CancellationToken.None).ConfigureAwait(false);
        }

        _signIn.Dispose();
    }

    private async Task<string> UserIdAsync(UserName userName, CancellationToken cancellationToken)
    {
        if (_serverName is null)
        {
            await GetAdminSessionAsync(cancellationToken).ConfigureAwait(false);
        }

        return userName.ToUserId(_serverName!);
    }

    private async Task<MatrixSession> GetAdminSessionAsync(CancellationToken cancellationToken, MatrixSession? stale = null)
    {
        var credentials = _options.Admin ?? throw new InvalidOperationException("this needs the admin's credentials (FamilyAccountsOptions.Admin)");
        await _signIn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_adminSession is { } current && !ReferenceEquals(current, stale))
            {
                return current;
            }

            var session = await _client.LoginAsync(credentials.UserName.Value, credentials.Password, cancellationToken).ConfigureAwait(false);
            _serverName ??= ServerNameOf(session.UserId);
            _adminSession = session;
            return session;
        }
        catch (MatrixApiException e) when (e.ErrorCode == MatrixErrorCodes.Forbidden)
        {
            throw new MatrixApiException(e.Operation, e.StatusCode, e.ErrorCode, e.Reason,
                $"sign in as {credentials.UserName}: the admin password was refused ({e.ErrorCode}: {e.Reason})");
        }
        finally
        {
            _signIn.Release();
        }
    }

    private async Task<T> WithAdminAsync<T>(Func<MatrixSession, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var session = await GetAdminSessionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await call(session, cancellationToken).ConfigureAwait(false);
        }
        catch (MatrixApiException e) when (e.ErrorCode == MatrixErrorCodes.UnknownToken || e.StatusCode == HttpStatusCode.Unauthorized)
        {
            session = await GetAdminSessionAsync(cancellationToken, stale: session).ConfigureAwait(false);
            return await call(session, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SignOutQuietlyAsync(MatrixSession session, CancellationToken cancellationToken)
    {
        try
        {
            await _client.LogoutAsync(session.AccessToken, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MatrixApiException or HttpRequestException)
        {
            // A leftover session of a new account or of the admin is harmless; the operation itself succeeded.
        }
    }

    /// <summary><c>family.example</c> from <c>@alice:family.example</c> (a server name may carry a port).</summary>
    internal static string ServerNameOf(string userId)
    {
        var colon = userId.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && colon < userId.Length - 1
            ? userId[(colon + 1)..]
            : throw new FormatException($"\"{userId}\" is not a Matrix user id (@name:server)");
    }
}
