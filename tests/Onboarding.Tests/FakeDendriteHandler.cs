using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DendriteAspire.Admin.Matrix;

namespace DendriteAspire.Onboarding.Tests;

/// <summary>
/// Dendrite's client and admin API as far as onboarding uses it, behind the HttpClient: shared-secret registration
/// (the MAC is checked), login, whoami, the admin check, rooms by alias, invite and join, reset password. Only the
/// in-process endpoint and browser tests use it; live tests run the real Dendrite.
/// </summary>
internal sealed partial class FakeDendriteHandler(string sharedSecret, string serverName) : HttpMessageHandler
{
    private readonly ConcurrentDictionary<string, Account> _accounts = new();
    private readonly ConcurrentDictionary<string, string> _tokens = new();
    private readonly ConcurrentDictionary<string, string> _devices = new();
    private readonly ConcurrentDictionary<string, string> _aliases = new();
    private readonly ConcurrentDictionary<string, Room> _rooms = new();
    private int _counter;

    public sealed class Account(string password, bool admin)
    {
        public string Password { get; set; } = password;
        public bool Admin { get; set; } = admin;
        public string? DisplayName { get; set; }
    }

    public sealed class Room
    {
        public ConcurrentDictionary<string, string> Members { get; } = new();
    }

    /// <summary>Every request, as "METHOD path".</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Every request with the user its access token belonged to (null without a known token).</summary>
    public ConcurrentQueue<(string Request, string? Caller, string? Token)> Calls { get; } = new();

    /// <summary>
    /// Registrations Dendrite carries out and then answers 504 for, as a proxy does when Dendrite was slow: the account
    /// exists, the caller hears a failure.
    /// </summary>
    public int RegistrationsLostAfterAccepting { get; set; }

    /// <summary>Room joins answered 502 before anything changes.</summary>
    public int JoinsFailing { get; set; }

    /// <summary>GET requests to <c>/register/available</c> answered 503 before anything changes.</summary>
    public int AvailabilityChecksFailing { get; set; }

    /// <summary>The device names of the sessions of <paramref name="userId"/> Dendrite still knows.</summary>
    public IReadOnlyList<string> OpenSessions(string userId) =>
        [.. _tokens.Where(t => t.Value == userId).Select(t => _devices.TryGetValue(t.Key, out var device) ? device : "?")];

    /// <summary>Forgets every token of <paramref name="userId"/>, as a sign-out everywhere does.</summary>
    public void RevokeSessions(string userId)
    {
        foreach (var token in _tokens.Where(t => t.Value == userId).Select(t => t.Key).ToList())
        {
            _tokens.TryRemove(token, out _);
        }
    }

    public IReadOnlyDictionary<string, Account> Accounts => _accounts;

    public IReadOnlyDictionary<string, Room> Rooms => _rooms;

    public IReadOnlyDictionary<string, string> Aliases => _aliases;

    public string UserId(string name) => $"@{name}:{serverName}";

    /// <summary>An account made outside onboarding (by the CLI, say); returns its access token.</summary>
    public string AddAccount(string name, string password, bool admin)
    {
        _accounts[UserId(name)] = new Account(password, admin);
        return NewToken(UserId(name), "test");
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        var query = request.RequestUri.Query;
        Requests.Enqueue($"{request.Method} {path}");
        var body = request.Content is null ? null : JsonNode.Parse(await request.Content.ReadAsStringAsync(cancellationToken));
        var caller = request.Headers.Authorization?.Parameter is { } token && _tokens.TryGetValue(token, out var user) ? user : null;
        Calls.Enqueue(($"{request.Method} {path}", caller, request.Headers.Authorization?.Parameter));

        switch (request.Method.Method, path)
        {
            case ("GET", "/_matrix/client/v3/register/available"):
                if (AvailabilityChecksFailing > 0)
                {
                    AvailabilityChecksFailing--;
                    return Error(HttpStatusCode.ServiceUnavailable, "M_UNKNOWN", "try later");
                }

                var name = Uri.UnescapeDataString(query.Split("username=")[1]);
                return _accounts.ContainsKey(UserId(name))
                    ? Error(HttpStatusCode.BadRequest, "M_USER_IN_USE", "Desired user ID is already taken.")
                    : Json(new JsonObject { ["available"] = true });

            case ("GET", DendriteAdminClient.SharedSecretRegistrationPath):
                return Json(new JsonObject { ["nonce"] = "fake-nonce-" + Interlocked.Increment(ref _counter) });

            case ("POST", DendriteAdminClient.SharedSecretRegistrationPath):
                var userName = body!["username"]!.GetValue<string>();
                var password = body["password"]!.GetValue<string>();
                var admin = body["admin"]!.GetValue<bool>();
                if (body["mac"]!.GetValue<string>() != SharedSecretMac.Compute(sharedSecret, body["nonce"]!.GetValue<string>(), userName, password, admin))
                {
                    return Error(HttpStatusCode.Forbidden, "M_FORBIDDEN", "bad mac");
                }

                if (!_accounts.TryAdd(UserId(userName), new Account(password, admin)))
                {
                    return Error(HttpStatusCode.BadRequest, "M_USER_IN_USE", "Desired user ID is already taken.");
                }

                if (RegistrationsLostAfterAccepting > 0)
                {
                    RegistrationsLostAfterAccepting--;
                    return new HttpResponseMessage(HttpStatusCode.GatewayTimeout) { Content = new StringContent("upstream timed out") };
                }

                return Session(UserId(userName), "shared_secret_registration");

            case ("POST", "/_matrix/client/v3/login"):
                var login = body!["identifier"]!["user"]!.GetValue<string>();
                var id = login.StartsWith('@') ? login : UserId(login);
                return _accounts.TryGetValue(id, out var account) && account.Password == body["password"]!.GetValue<string>()
                    ? Session(id, body["initial_device_display_name"]?.GetValue<string>() ?? "unnamed")
                    : Error(HttpStatusCode.Forbidden, "M_FORBIDDEN", "The username or password was incorrect or the account does not exist.");

            case ("POST", "/_matrix/client/v3/logout"):
                _tokens.TryRemove(request.Headers.Authorization!.Parameter!, out _);
                return Json(new JsonObject());
        }

        if (caller is null)
        {
            return Error(HttpStatusCode.Unauthorized, "M_UNKNOWN_TOKEN", "Unknown token");
        }

        switch (request.Method.Method, path)
        {
            case ("GET", "/_matrix/client/v3/account/whoami"):
                return Json(new JsonObject { ["user_id"] = caller });

            case ("GET", "/_dendrite/admin/registrationTokens"):
                return _accounts[caller].Admin ? Json(new JsonObject { ["registration_tokens"] = new JsonArray() }) : Forbidden();

            case ("POST", "/_matrix/client/v3/createRoom"):
                var roomId = $"!room{Interlocked.Increment(ref _counter)}:{serverName}";
                var alias = $"#{body!["room_alias_name"]!.GetValue<string>()}:{serverName}";
                if (!_aliases.TryAdd(alias, roomId))
                {
                    return Error(HttpStatusCode.BadRequest, "M_ROOM_IN_USE", "Room alias already exists.");
                }

                var room = new Room();
                room.Members[caller] = "join";
                _rooms[roomId] = room;
                return Json(new JsonObject { ["room_id"] = roomId });
        }

        if (DirectoryPath().Match(path) is { Success: true } directory)
        {
            return _aliases.TryGetValue(Uri.UnescapeDataString(directory.Groups[1].Value), out var found)
                ? Json(new JsonObject { ["room_id"] = found })
                : Error(HttpStatusCode.NotFound, "M_NOT_FOUND", "Room alias not found");
        }

        if (InvitePath().Match(path) is { Success: true } invite)
        {
            var room = _rooms[Uri.UnescapeDataString(invite.Groups[1].Value)];
            if (!room.Members.TryGetValue(caller, out var state) || state != "join")
            {
                return Forbidden();
            }

            room.Members[body!["user_id"]!.GetValue<string>()] = "invite";
            return Json(new JsonObject());
        }

        if (JoinPath().Match(path) is { Success: true } join)
        {
            var room = _rooms[Uri.UnescapeDataString(join.Groups[1].Value)];
            if (!room.Members.TryGetValue(caller, out var state) || state is not ("invite" or "join"))
            {
                return Forbidden();
            }

            if (JoinsFailing > 0)
            {
                JoinsFailing--;
                return new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent("bad gateway") };
            }

            room.Members[caller] = "join";
            return Json(new JsonObject { ["room_id"] = join.Groups[1].Value });
        }

        if (DisplayNamePath().Match(path) is { Success: true } profile)
        {
            _accounts[Uri.UnescapeDataString(profile.Groups[1].Value)].DisplayName = body!["displayname"]!.GetValue<string>();
            return Json(new JsonObject());
        }

        if (ResetPasswordPath().Match(path) is { Success: true } reset)
        {
            if (!_accounts[caller].Admin)
            {
                return Forbidden();
            }

            var targetId = Uri.UnescapeDataString(reset.Groups[1].Value);
            if (!_accounts.TryGetValue(targetId, out var target))
            {
                return Error(HttpStatusCode.NotFound, "M_UNKNOWN", "User does not exist");
            }

            target.Password = body!["password"]!.GetValue<string>();
            if (body["logout_devices"]?.GetValue<bool>() == true)
            {
                RevokeSessions(targetId);
            }
            return Json(new JsonObject { ["password_updated"] = true });
        }

        if (EvacuateUserPath().Match(path) is { Success: true })
        {
            return _accounts[caller].Admin ? Json(new JsonObject { ["affected"] = new JsonArray() }) : Forbidden();
        }

        return Error(HttpStatusCode.NotFound, "M_UNRECOGNIZED", $"fake Dendrite does not serve {request.Method} {path}");
    }

    private HttpResponseMessage Session(string userId, string deviceName) =>
        Json(new JsonObject { ["user_id"] = userId, ["access_token"] = NewToken(userId, deviceName), ["device_id"] = "DEVICE" });

    private string NewToken(string userId, string deviceName)
    {
        var token = "token-" + Guid.NewGuid().ToString("N");
        _tokens[token] = userId;
        _devices[token] = deviceName;
        return token;
    }

    private static HttpResponseMessage Forbidden() => Error(HttpStatusCode.Forbidden, "M_FORBIDDEN", "You are not allowed to do that");

    private static HttpResponseMessage Error(HttpStatusCode status, string code, string message) =>
        Json(new JsonObject { ["errcode"] = code, ["error"] = message }, status);

    private static HttpResponseMessage Json(JsonObject body, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };

    [GeneratedRegex("^/_matrix/client/v3/directory/room/(.+)$")]
    private static partial Regex DirectoryPath();

    [GeneratedRegex("^/_matrix/client/v3/rooms/([^/]+)/invite$")]
    private static partial Regex InvitePath();

    [GeneratedRegex("^/_matrix/client/v3/join/([^/]+)$")]
    private static partial Regex JoinPath();

    [GeneratedRegex("^/_matrix/client/v3/profile/([^/]+)/displayname$")]
    private static partial Regex DisplayNamePath();

    [GeneratedRegex("^/_dendrite/admin/resetPassword/([^/]+)$")]
    private static partial Regex ResetPasswordPath();

    [GeneratedRegex("^/_dendrite/admin/evacuateUser/([^/]+)$")]
    private static partial Regex EvacuateUserPath();
}
