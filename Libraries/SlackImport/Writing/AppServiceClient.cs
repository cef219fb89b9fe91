using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DendriteAspire.Admin.Matrix;

namespace DendriteAspire.SlackImport.Writing;

/// <summary>
/// The client-server API through the import's application-service token, speaking as any local user. What Dendrite
/// v0.15.2 does with it (read in its source):
/// <list type="bullet">
/// <item>The as_token counts as an application service only when the request carries <c>user_id</c>
/// (userapi <c>QueryAccessToken</c>); so every request here names the user it speaks as, the import's own bot
/// included. A user must already exist (<c>GetAccountByLocalpart</c>) and match the users namespace.</item>
/// <item>Dendrite also stores the as_token as an ordinary access token of the <c>sender_localpart</c> device it
/// creates at start (<c>generateAppServiceAccount</c>); that token keeps working after the registration is removed,
/// so <see cref="RevokeSenderDeviceAsync"/> logs that device out at the end of every import.</item>
/// <item><c>ts</c> sets <c>origin_server_ts</c> on send, state, createRoom, invite and profile requests
/// (<c>httputil.ParseTSParam</c>), for any client: no application-service check.</item>
/// <item>Rate limits: requests by an application-service device are never limited (<c>AccountTypeAppService</c>
/// in <c>internal/httputil/rate_limiting.go</c>); the registration's <c>rate_limited</c> is parsed but unimplemented
/// (Dendrite logs a warning when it is true). 429s are still honoured with <c>retry_after_ms</c>.</item>
/// </list>
/// </summary>
public sealed class AppServiceClient
{
    private const int MaxAttempts = 8;
    private readonly HttpClient _http;
    private readonly string _token;

    /// <param name="http">An HttpClient whose base address is the homeserver.</param>
    /// <param name="asToken">The registration's <c>as_token</c>.</param>
    public AppServiceClient(HttpClient http, string asToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentException.ThrowIfNullOrEmpty(asToken);
        _http = http;
        _token = asToken;
    }

    /// <summary>How many times a 429 made the client wait (for the report).</summary>
    public int RateLimitWaits => _rateLimitWaits;

    private int _rateLimitWaits;

    /// <summary>
    /// Whether an account exists, and its display name: its profile answers (<c>GET /profile/{userId}</c>, 404 when
    /// there is no such account).
    /// </summary>
    public async Task<(bool Exists, string? DisplayName)> ProfileAsync(string userId, string asUser, CancellationToken cancellationToken)
    {
        var (status, body) = await SendRawAsync(HttpMethod.Get, $"/_matrix/client/v3/profile/{E(userId)}", null, asUser, null, cancellationToken).ConfigureAwait(false);
        return status switch
        {
            HttpStatusCode.OK => (true, body.TryGetProperty("displayname", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null),
            HttpStatusCode.NotFound => (false, null),
            _ => throw Refusal($"look up {userId}", status, body),
        };
    }

    /// <summary>
    /// The server name, from the server's own signing-key document (<c>GET /_matrix/key/v2/server</c>); null when it
    /// is not served (Dendrite serves it only with federation on).
    /// </summary>
    public async Task<string?> ServerNameAsync(CancellationToken cancellationToken)
    {
        var (status, body) = await SendRawAsync(HttpMethod.Get, "/_matrix/key/v2/server", null, null, null, cancellationToken).ConfigureAwait(false);
        return status == HttpStatusCode.OK && body.ValueKind == JsonValueKind.Object && body.TryGetProperty("server_name", out var name) ? name.GetString() : null;
    }

    /// <summary>Checks that the token is a loaded application service: <c>whoami</c> as the import bot.</summary>
    public async Task<string> WhoAmIAsync(string asUser, CancellationToken cancellationToken)
    {
        var body = await SendAsync(HttpMethod.Get, "/_matrix/client/v3/account/whoami", null, asUser, null, "check the import token", cancellationToken).ConfigureAwait(false);
        return body.GetProperty("user_id").GetString()!;
    }

    /// <summary>Registers a bot account in the namespace (<c>m.login.application_service</c>; it has no password).</summary>
    public Task RegisterBotAsync(string localpart, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "/_matrix/client/v3/register",
            new JsonObject { ["type"] = "m.login.application_service", ["username"] = localpart, ["inhibit_login"] = true },
            null, null, $"create bot account {localpart}", cancellationToken);

    public Task SetDisplayNameAsync(string userId, string displayName, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, $"/_matrix/client/v3/profile/{E(userId)}/displayname", new JsonObject { ["displayname"] = displayName },
            userId, null, $"set the display name of {userId}", cancellationToken);

    public async Task<string> CreateRoomAsync(JsonObject request, string asUser, long ts, CancellationToken cancellationToken)
    {
        var body = await SendAsync(HttpMethod.Post, "/_matrix/client/v3/createRoom", request, asUser, ts, "create a room", cancellationToken).ConfigureAwait(false);
        return body.GetProperty("room_id").GetString()!;
    }

    public async Task<string> SendAsync(string roomId, string type, JsonObject content, string txnId, string asUser, long ts, CancellationToken cancellationToken)
    {
        var body = await SendAsync(HttpMethod.Put, $"/_matrix/client/v3/rooms/{E(roomId)}/send/{E(type)}/{E(txnId)}", content, asUser, ts,
            $"send {type} to {roomId} as {asUser}", cancellationToken).ConfigureAwait(false);
        return body.GetProperty("event_id").GetString()!;
    }

    public async Task<string> SetStateAsync(string roomId, string type, string stateKey, JsonObject content, string asUser, long ts, CancellationToken cancellationToken)
    {
        var body = await SendAsync(HttpMethod.Put, $"/_matrix/client/v3/rooms/{E(roomId)}/state/{E(type)}/{E(stateKey)}", content, asUser, ts,
            $"set {type} in {roomId} as {asUser}", cancellationToken).ConfigureAwait(false);
        return body.GetProperty("event_id").GetString()!;
    }

    public Task InviteAsync(string roomId, string userId, string asUser, long ts, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"/_matrix/client/v3/rooms/{E(roomId)}/invite", new JsonObject { ["user_id"] = userId }, asUser, ts,
            $"invite {userId} to {roomId}", cancellationToken);

    /// <summary>A state event's content, or null when the room has none of it (or the user cannot see it).</summary>
    public async Task<JsonElement?> GetStateAsync(string roomId, string type, string stateKey, string asUser, CancellationToken cancellationToken)
    {
        var (status, body) = await SendRawAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{E(roomId)}/state/{E(type)}/{E(stateKey)}", null, asUser, null, cancellationToken).ConfigureAwait(false);
        return status switch
        {
            HttpStatusCode.OK => body,
            HttpStatusCode.NotFound or HttpStatusCode.Forbidden => null,
            _ => throw Refusal($"read {type} in {roomId}", status, body),
        };
    }

    public async Task<IReadOnlyList<string>> JoinedRoomsAsync(string asUser, CancellationToken cancellationToken)
    {
        var body = await SendAsync(HttpMethod.Get, "/_matrix/client/v3/joined_rooms", null, asUser, null, "list the import's rooms", cancellationToken).ConfigureAwait(false);
        return [.. body.GetProperty("joined_rooms").EnumerateArray().Select(r => r.GetString()!)];
    }

    public async Task<IReadOnlySet<string>> JoinedMembersAsync(string roomId, string asUser, CancellationToken cancellationToken)
    {
        var body = await SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{E(roomId)}/joined_members", null, asUser, null, $"list the members of {roomId}", cancellationToken).ConfigureAwait(false);
        return body.GetProperty("joined").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// Whether Dendrite's sync API has stored <paramref name="eventId"/> yet, so that <c>/messages</c> and clients show
    /// it: <c>GET /rooms/{roomId}/context/{eventId}?limit=0</c>, which the sync API answers from its own database
    /// (404 until its consumer of the roomserver's output has reached the event; <c>syncapi/routing/context.go</c>).
    /// </summary>
    public async Task<bool> IsVisibleAsync(string roomId, string eventId, string asUser, CancellationToken cancellationToken)
    {
        var (status, body) = await SendRawAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{E(roomId)}/context/{E(eventId)}?limit=0", null, asUser, null, cancellationToken).ConfigureAwait(false);
        return status switch
        {
            HttpStatusCode.OK => true,
            HttpStatusCode.NotFound => false,
            _ => throw Refusal($"look up {eventId} in {roomId}", status, body),
        };
    }

    /// <summary>
    /// Whether <paramref name="asUser"/> has a notification for <paramref name="eventId"/> (<c>GET /notifications</c>,
    /// which Dendrite's user API fills as it handles the roomserver's output). The watcher reads its notifications as
    /// it goes (<see cref="SetFullyReadAsync"/>), so the newest hundred hold the line asked for.
    /// </summary>
    public async Task<bool> NotifiedAsync(string eventId, string asUser, CancellationToken cancellationToken)
    {
        var body = await SendAsync(HttpMethod.Get, "/_matrix/client/v3/notifications?limit=100", null, asUser, null, $"read the notifications of {asUser}", cancellationToken).ConfigureAwait(false);
        return body.TryGetProperty("notifications", out var list) && list.ValueKind == JsonValueKind.Array
            && list.EnumerateArray().Any(n => n.TryGetProperty("event", out var e) && e.TryGetProperty("event_id", out var id) && id.GetString() == eventId);
    }

    /// <summary>Moves <paramref name="asUser"/>'s <c>m.fully_read</c> marker to <paramref name="eventId"/>; Dendrite then deletes the notifications up to it.</summary>
    public Task SetFullyReadAsync(string roomId, string eventId, string asUser, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"/_matrix/client/v3/rooms/{E(roomId)}/read_markers", new JsonObject { ["m.fully_read"] = eventId }, asUser, null,
            $"mark {roomId} read as {asUser}", cancellationToken);

    /// <summary>Every event of a room's timeline, newest first, a page at a time.</summary>
    public async IAsyncEnumerable<JsonElement> TimelineAsync(string roomId, string asUser, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? from = null;
        while (true)
        {
            var path = $"/_matrix/client/v3/rooms/{E(roomId)}/messages?dir=b&limit=1000" + (from is null ? "" : "&from=" + E(from));
            var body = await SendAsync(HttpMethod.Get, path, null, asUser, null, $"read the timeline of {roomId}", cancellationToken).ConfigureAwait(false);
            var chunk = body.TryGetProperty("chunk", out var c) ? c : default;
            if (chunk.ValueKind != JsonValueKind.Array || chunk.GetArrayLength() == 0)
            {
                yield break;
            }

            foreach (var e in chunk.EnumerateArray())
            {
                yield return e;
            }

            var next = body.TryGetProperty("end", out var end) ? end.GetString() : null;
            if (next is null || next == from)
            {
                yield break;
            }

            from = next;
        }
    }

    public async Task<string> UploadAsync(byte[] bytes, string contentType, string fileName, string asUser, CancellationToken cancellationToken)
    {
        var path = $"/_matrix/media/v3/upload?filename={E(fileName)}&user_id={E(asUser)}";
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(bytes) };
            request.Content.Headers.ContentType = MediaTypeHeaderValue.TryParse(contentType, out var type) ? type : new MediaTypeHeaderValue("application/octet-stream");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.TooManyRequests && attempt < MaxAttempts)
            {
                await WaitAsync(body, cancellationToken).ConfigureAwait(false);
                continue;
            }

            return response.IsSuccessStatusCode
                ? body.GetProperty("content_uri").GetString()!
                : throw Refusal($"upload {fileName} ({bytes.Length} bytes) as {asUser}", response.StatusCode, body);
        }
    }

    public async Task<JsonObject> GetAccountDataAsync(string userId, string type, CancellationToken cancellationToken)
    {
        var (status, body) = await SendRawAsync(HttpMethod.Get, $"/_matrix/client/v3/user/{E(userId)}/account_data/{E(type)}", null, userId, null, cancellationToken).ConfigureAwait(false);
        return status switch
        {
            HttpStatusCode.OK => JsonNode.Parse(body.GetRawText())!.AsObject(),
            HttpStatusCode.NotFound => [],
            _ => throw Refusal($"read {type} of {userId}", status, body),
        };
    }

    public Task PutAccountDataAsync(string userId, string type, JsonObject content, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, $"/_matrix/client/v3/user/{E(userId)}/account_data/{E(type)}", content, userId, null, $"write {type} of {userId}", cancellationToken);

    /// <summary>
    /// Puts the override push rule <see cref="ImportRecord.HistoryRuleId"/> for <paramref name="userId"/>: events
    /// carrying <see cref="ImportRecord.HistoryKey"/> do not notify. Putting it again changes nothing.
    /// </summary>
    public Task PutHistoryRuleAsync(string userId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, $"/_matrix/client/v3/pushrules/global/override/{E(ImportRecord.HistoryRuleId)}",
            new JsonObject
            {
                ["conditions"] = new JsonArray(new JsonObject { ["kind"] = "event_match", ["key"] = "content." + ImportRecord.HistoryKey, ["pattern"] = "*" }),
                ["actions"] = new JsonArray("dont_notify"),
            },
            userId, null, $"keep imported history from notifying {userId}", cancellationToken);

    /// <summary>
    /// Logs out the device Dendrite made for <c>sender_localpart</c> with the as_token as its access token
    /// (no <c>user_id</c>: that is the path where Dendrite looks the token up as a device). Afterwards the token
    /// works only while the registration is loaded, and is refused once it is removed.
    /// </summary>
    public async Task RevokeSenderDeviceAsync(CancellationToken cancellationToken)
    {
        var (status, body) = await SendRawAsync(HttpMethod.Post, "/_matrix/client/v3/logout", [], null, null, cancellationToken).ConfigureAwait(false);
        if (status is not (HttpStatusCode.OK or HttpStatusCode.Unauthorized))
        {
            throw Refusal("log out the import bot's device", status, body);
        }
    }

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, JsonObject? content, string? asUser, long? ts, string operation, CancellationToken cancellationToken)
    {
        var (status, body) = await SendRawAsync(method, path, content, asUser, ts, cancellationToken).ConfigureAwait(false);
        return (int)status is >= 200 and < 300 ? body : throw Refusal(operation, status, body);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendRawAsync(HttpMethod method, string path, JsonObject? content, string? asUser, long? ts, CancellationToken cancellationToken)
    {
        var query = new StringBuilder();
        if (asUser is not null)
        {
            query.Append("user_id=").Append(E(asUser));
        }

        if (ts is { } t)
        {
            query.Append(query.Length > 0 ? "&" : "").Append("ts=").Append(t.ToString(CultureInfo.InvariantCulture));
        }

        var uri = query.Length == 0 ? path : path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query;
        var json = content?.ToJsonString();
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, uri);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
            if (json is not null)
            {
                request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            }

            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.TooManyRequests && attempt < MaxAttempts)
            {
                await WaitAsync(body, cancellationToken).ConfigureAwait(false);
                continue;
            }

            return (response.StatusCode, body);
        }
    }

    private async Task WaitAsync(JsonElement body, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _rateLimitWaits);
        var ms = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("retry_after_ms", out var r) && r.TryGetInt64(out var v) ? v : 1000;
        await Task.Delay(TimeSpan.FromMilliseconds(Math.Clamp(ms, 50, 30_000)), cancellationToken).ConfigureAwait(false);
    }

    private static async Task<JsonElement> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonDocument.Parse(JsonSerializer.Serialize(text)).RootElement.Clone();
        }
    }

    private static MatrixApiException Refusal(string operation, HttpStatusCode status, JsonElement body)
    {
        var errcode = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("errcode", out var c) ? c.GetString() : null;
        var reason = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("error", out var e) ? e.GetString() ?? "" : body.ToString();
        return new MatrixApiException(operation, status, errcode, reason);
    }

    private static string E(string value) => Uri.EscapeDataString(value);
}
