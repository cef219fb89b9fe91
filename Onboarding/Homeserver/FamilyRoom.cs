using System.Net;
using System.Text.Json.Nodes;
using DendriteAspire.Admin.Accounts;
using DendriteAspire.Admin.Matrix;
using Microsoft.Extensions.Options;

namespace DendriteAspire.Onboarding.Homeserver;

/// <summary>
/// The room every relative joins. Its owner is a service account (<see cref="OnboardingOptions.RoomOwnerUserName"/>,
/// <c>family-rooms</c>): not a server admin, only the room's admin. The owner creates the room once under the alias
/// <c>#&lt;name&gt;:&lt;server&gt;</c> (found again by that alias, so creating is idempotent), invites each new member,
/// and the member accepts with their own session. A room the bootstrap admin made before the owner existed is handed
/// over by the AppHost's bootstrap step (or the cluster's bootstrap Job): the owner is raised to 100 and invited, and
/// accepts here. Every call goes through the Admin library's client.
/// </summary>
public sealed partial class FamilyRoom(
    FamilyAccounts accounts,
    IOptions<OnboardingOptions> options,
    ILogger<FamilyRoom> logger) : IDisposable
{
    private readonly OnboardingOptions _options = options.Value;
    private readonly SemaphoreSlim _create = new(1, 1);
    private string? _roomId;

    /// <summary><c>family</c> for "Family": the alias localpart of the room.</summary>
    public string AliasName => AliasFor(_options.FamilyRoomName);

    /// <summary><c>#family:family.example</c>.</summary>
    public string Alias => $"#{AliasName}:{_options.ServerName}";

    /// <summary>The room owner's user id, <c>@family-rooms:family.example</c>.</summary>
    public string OwnerUserId => _options.UserId(_options.RoomOwnerUserName);

    /// <summary>The device name of the room owner's short sessions here, signed out after each use.</summary>
    public const string DeviceName = "Family onboarding service";

    /// <summary>
    /// Invites <paramref name="member"/> as the room owner (a session of its own, signed out again at once), then
    /// joins with the member's session.
    /// </summary>
    public async Task JoinAsync(MatrixSession member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        var roomId = await EnsureAsync(cancellationToken).ConfigureAwait(false);
        var owner = await SignInOwnerAsync(cancellationToken).ConfigureAwait(false);
        MatrixApiException? inviteRefused = null;
        try
        {
            await accounts.Client.InviteAsync(owner.AccessToken, roomId, member.UserId, cancellationToken).ConfigureAwait(false);
        }
        catch (MatrixApiException e) when (e.StatusCode == HttpStatusCode.Forbidden)
        {
            // Invited (or joined) already by an earlier try that did not finish: the join below settles it.
            inviteRefused = e;
        }
        finally
        {
            await accounts.SignOutAsync(owner, CancellationToken.None).ConfigureAwait(false);
        }

        try
        {
            await accounts.Client.JoinRoomAsync(member.AccessToken, roomId, cancellationToken).ConfigureAwait(false);
        }
        catch (MatrixApiException) when (inviteRefused is not null)
        {
            throw inviteRefused;
        }

        LogJoined(logger, member.UserId, Alias);
    }

    /// <summary>
    /// The room id: the room owner's account is made if it is missing (shared-secret registration, not an admin), then
    /// the room is found by its alias and the owner joins it (accepting a hand-over), or it is created.
    /// </summary>
    public async Task<string> EnsureAsync(CancellationToken cancellationToken)
    {
        if (_roomId is { } known)
        {
            return known;
        }

        await _create.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_roomId is not null)
            {
                return _roomId;
            }

            await accounts.EnsureAccountAsync(
                new NewAccount(UserName.Parse(_options.RoomOwnerUserName), OnboardingOptions.RoomOwnerDisplayName, IsAdmin: false, Password: Password),
                cancellationToken).ConfigureAwait(false);
            var owner = await SignInOwnerAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                _roomId = await ResolveAsync(owner, cancellationToken).ConfigureAwait(false) is { } existing
                    ? await AcceptAsync(owner, existing, cancellationToken).ConfigureAwait(false)
                    : await CreateAsync(owner, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await accounts.SignOutAsync(owner, CancellationToken.None).ConfigureAwait(false);
            }

            return _roomId;
        }
        finally
        {
            _create.Release();
        }
    }

    private string Password => _options.RoomOwnerPassword is { Length: > 0 } password
        ? password
        : throw new InvalidOperationException($"{OnboardingOptions.SectionName}:{nameof(OnboardingOptions.RoomOwnerPassword)} is not set, so the family room's owner {OwnerUserId} cannot sign in");

    private async Task<Admin.Matrix.MatrixSession> SignInOwnerAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await accounts.Client.LoginAsync(_options.RoomOwnerUserName, Password, DeviceName, cancellationToken).ConfigureAwait(false);
        }
        catch (MatrixApiException e) when (e.ErrorCode == MatrixErrorCodes.Forbidden)
        {
            throw new InvalidOperationException(
                $"The family room's owner {OwnerUserId} cannot sign in ({e.Reason}): its password is the AppHost's room owner parameter; "
                + "if the account predates the parameter, reset its password to the parameter's value with the admin CLI.", e);
        }
    }

    /// <summary>Joins the existing room as the owner: a no-op when joined, accepting the hand-over invite otherwise.</summary>
    private async Task<string> AcceptAsync(Admin.Matrix.MatrixSession owner, string roomId, CancellationToken cancellationToken)
    {
        try
        {
            await accounts.Client.JoinRoomAsync(owner.AccessToken, roomId, cancellationToken).ConfigureAwait(false);
            return roomId;
        }
        catch (MatrixApiException e) when (e.StatusCode == HttpStatusCode.Forbidden)
        {
            throw new InvalidOperationException(
                $"The family room {Alias} exists but its owner {OwnerUserId} is not in it ({e.Reason}): the room was made by the bootstrap admin "
                + "before the owner existed. Start the AppHost again (or re-run the bootstrap Job in the cluster): the bootstrap admin hands the room over then.", e);
        }
    }

    private Task<string?> ResolveAsync(Admin.Matrix.MatrixSession admin, CancellationToken cancellationToken) =>
        accounts.Client.ResolveRoomAliasAsync(admin.AccessToken, Alias, cancellationToken);

    private async Task<string> CreateAsync(Admin.Matrix.MatrixSession admin, CancellationToken cancellationToken)
    {
        var request = new JsonObject
        {
            ["name"] = _options.FamilyRoomName,
            ["room_alias_name"] = AliasName,
            ["preset"] = "private_chat",
            ["visibility"] = "private",
            ["topic"] = "Everyone in the family",
            ["initial_state"] = new JsonArray(new JsonObject
            {
                ["type"] = "m.room.encryption",
                ["state_key"] = "",
                ["content"] = new JsonObject { ["algorithm"] = "m.megolm.v1.aes-sha2" },
            }),
        };
        try
        {
            var roomId = await accounts.Client.CreateRoomAsync(admin.AccessToken, request, cancellationToken).ConfigureAwait(false);
            LogCreated(logger, Alias, roomId);
            return roomId;
        }
        catch (MatrixApiException e) when (e.ErrorCode == "M_ROOM_IN_USE")
        {
            // Another instance made it first: the alias exists now.
            if (await ResolveAsync(admin, cancellationToken).ConfigureAwait(false) is { } existing)
            {
                return existing;
            }

            throw;
        }
    }

    /// <summary>Releases the lock that makes room creation happen once.</summary>
    public void Dispose() => _create.Dispose();

    /// <summary>Lower-case letters and digits of the name, other runs as one '-': "Our Family" is <c>our-family</c>.</summary>
    internal static string AliasFor(string roomName) => OnboardingOptions.RoomAliasName(roomName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the family room {Alias} ({RoomId})")]
    private static partial void LogCreated(ILogger logger, string alias, string roomId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{UserId} joined {Alias}")]
    private static partial void LogJoined(ILogger logger, string userId, string alias);
}
