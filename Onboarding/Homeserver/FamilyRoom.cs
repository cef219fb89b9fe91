using System.Text.Json.Nodes;
using DendriteAspire.Admin.Accounts;
using DendriteAspire.Admin.Matrix;
using Microsoft.Extensions.Options;

namespace DendriteAspire.Onboarding.Homeserver;

/// <summary>
/// The room every relative joins. The bootstrap admin creates it once under the alias
/// <c>#&lt;name&gt;:&lt;server&gt;</c> (found again by that alias, so creating is idempotent), invites each new
/// member, and the member accepts with their own session. Every call goes through the Admin library's client.
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

    /// <summary>Invites <paramref name="member"/> as the bootstrap admin, then joins with the member's session.</summary>
    public async Task JoinAsync(MatrixSession member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        var roomId = await EnsureAsync(cancellationToken).ConfigureAwait(false);
        var admin = await accounts.LoginAsync(cancellationToken).ConfigureAwait(false);
        await accounts.Client.InviteAsync(admin.AccessToken, roomId, member.UserId, cancellationToken).ConfigureAwait(false);
        await accounts.Client.JoinRoomAsync(member.AccessToken, roomId, cancellationToken).ConfigureAwait(false);
        LogJoined(logger, member.UserId, Alias);
    }

    /// <summary>The room id, creating the room (and the bootstrap admin) the first time.</summary>
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

            var bootstrap = await accounts.EnsureAdminAccountAsync(cancellationToken).ConfigureAwait(false);
            if (bootstrap.SignInProblem is { } problem)
            {
                throw new InvalidOperationException($"The bootstrap admin {bootstrap.UserName} cannot sign in, so the family room cannot be set up: {problem}");
            }

            var admin = await accounts.LoginAsync(cancellationToken).ConfigureAwait(false);
            _roomId = await ResolveAsync(admin, cancellationToken).ConfigureAwait(false)
                ?? await CreateAsync(admin, cancellationToken).ConfigureAwait(false);
            return _roomId;
        }
        finally
        {
            _create.Release();
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
    internal static string AliasFor(string roomName)
    {
        var chars = new List<char>();
        foreach (var c in roomName.Trim().ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                chars.Add(c);
            }
            else if (chars.Count > 0 && chars[^1] != '-')
            {
                chars.Add('-');
            }
        }

        var alias = new string([.. chars]).Trim('-');
        return alias.Length == 0 ? "family" : alias;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the family room {Alias} ({RoomId})")]
    private static partial void LogCreated(ILogger logger, string alias, string roomId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{UserId} joined {Alias}")]
    private static partial void LogJoined(ILogger logger, string userId, string alias);
}
