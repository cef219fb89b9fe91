using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DendriteAspire.Admin.Matrix;

/// <summary>
/// A typed client for the parts of Dendrite's HTTP API a family admin needs: shared-secret registration, password
/// login, whoami, the admin API (<c>/_dendrite/admin/...</c>) and profile display names. Every refusal becomes a
/// <see cref="MatrixApiException"/> with Dendrite's errcode. Access tokens and passwords never appear in exception
/// messages.
/// </summary>
/// <remarks>
/// <para>
/// This client is the one place that retries calls to Dendrite (<see cref="IsRetryable"/>): a 429
/// (<c>M_LIMIT_EXCEEDED</c>) is retried after <c>retry_after_ms</c> whatever the method, because Dendrite refused it
/// before doing anything; a failure on the way (no answer, 502, 503, 504) is retried only for GET, which changes
/// nothing. A POST or PUT that may have reached Dendrite is never sent twice: a registration replayed after a timeout
/// would find its own account and report the name as taken. Every request carries the option
/// <see cref="CallerRetriesOption"/>, which tells a resilience handler in the <see cref="HttpClient"/> (ServiceDefaults'
/// standard handler) not to retry it a second time.
/// </para>
/// </remarks>
/// <remarks>
/// The <see cref="HttpClient"/> must have its <see cref="HttpClient.BaseAddress"/> set to the homeserver's client
/// API (for example <c>http://localhost:8008</c>); the caller owns it.
/// </remarks>
/// <example>
/// <code>
/// using var http = new HttpClient { BaseAddress = new Uri("http://localhost:8008") };
/// var client = new DendriteAdminClient(http);
/// var admin = await client.LoginAsync("admin", password, cancellationToken);
/// </code>
/// </example>
public sealed class DendriteAdminClient
{
    /// <summary>Shared-secret registration (Synapse-compatible); served only when a shared secret is configured.</summary>
    public const string SharedSecretRegistrationPath = "/_synapse/admin/v1/register";

    /// <summary>The request option that says "this client retries the request itself" (read by ServiceDefaults).</summary>
    public const string CallerRetriesOption = "DendriteAspire.CallerRetries";

    private static readonly HttpRequestOptionsKey<bool> CallerRetries = new(CallerRetriesOption);

    /// <summary>The device name a sign-in gets when the caller does not name it.</summary>
    public const string DefaultDeviceName = "DendriteAspire admin tools";

    private const int MaxRateLimitRetries = 5;
    private const int MaxTransientRetries = 2;
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan TransientRetryDelay = TimeSpan.FromMilliseconds(300);

    private readonly HttpClient _http;

    /// <summary>A client over <paramref name="http"/>, whose base address is the homeserver.</summary>
    public DendriteAdminClient(HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.BaseAddress is null)
        {
            throw new ArgumentException("the HttpClient needs a BaseAddress: the homeserver URL, for example http://localhost:8008", nameof(http));
        }

        _http = http;
    }

    /// <summary>The homeserver this client talks to.</summary>
    public Uri Homeserver => _http.BaseAddress!;

    /// <summary>A fresh registration nonce (<c>GET /_synapse/admin/v1/register</c>); nonces live five minutes.</summary>
    public async Task<string> GetRegistrationNonceAsync(CancellationToken cancellationToken = default)
    {
        var body = await SendAsync(HttpMethod.Get, SharedSecretRegistrationPath, null, null, "get a registration nonce", cancellationToken)
            .ConfigureAwait(false);
        return RequiredString(body, "nonce", "get a registration nonce");
    }

    /// <summary>
    /// Registers <paramref name="userName"/> through shared-secret registration: a nonce, then the HMAC-SHA1 request.
    /// Returns the new user's session (device <c>shared_secret_registration</c>).
    /// </summary>
    public async Task<MatrixSession> RegisterWithSharedSecretAsync(
        string sharedSecret, string userName, string password, bool admin, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sharedSecret);
        ArgumentException.ThrowIfNullOrEmpty(userName);
        ArgumentException.ThrowIfNullOrEmpty(password);
        var operation = $"create account {userName}";
        var nonce = await GetRegistrationNonceAsync(cancellationToken).ConfigureAwait(false);
        var request = new JsonObject
        {
            ["nonce"] = nonce,
            ["username"] = userName,
            ["password"] = password,
            ["admin"] = admin,
            ["mac"] = SharedSecretMac.Compute(sharedSecret, nonce, userName, password, admin),
        };
        var body = await SendAsync(HttpMethod.Post, SharedSecretRegistrationPath, request, null, operation, cancellationToken).ConfigureAwait(false);
        return Session(body, operation);
    }

    /// <summary>
    /// Whether <paramref name="userName"/> is free (<c>GET /_matrix/client/v3/register/available</c>, no credentials
    /// needed): true when free, false when Dendrite answers <c>M_USER_IN_USE</c>.
    /// </summary>
    public async Task<bool> IsUserNameAvailableAsync(string userName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userName);
        var path = $"/_matrix/client/v3/register/available?username={Uri.EscapeDataString(userName)}";
        var (status, body) = await SendRawAsync(HttpMethod.Get, path, null, null, cancellationToken).ConfigureAwait(false);
        if (IsSuccess(status))
        {
            return body.ValueKind == JsonValueKind.Object && body.TryGetProperty("available", out var available) && available.ValueKind == JsonValueKind.True;
        }

        if (ErrorCode(body) == MatrixErrorCodes.UserInUse)
        {
            return false;
        }

        throw Refusal($"check whether {userName} exists", status, body);
    }

    /// <summary>Password login (<c>m.login.password</c>); a wrong password is <c>M_FORBIDDEN</c>.</summary>
    public Task<MatrixSession> LoginAsync(string user, string password, CancellationToken cancellationToken = default) =>
        LoginAsync(user, password, DefaultDeviceName, cancellationToken);

    /// <summary>
    /// Password login that names the new device <paramref name="deviceName"/>: what the person sees in their session
    /// list (Element's "Sessions"), so it should say what opened it ("Invite link", "Family admin page").
    /// </summary>
    public async Task<MatrixSession> LoginAsync(string user, string password, string deviceName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        ArgumentNullException.ThrowIfNull(password);
        ArgumentException.ThrowIfNullOrWhiteSpace(deviceName);
        var request = new JsonObject
        {
            ["type"] = "m.login.password",
            ["identifier"] = new JsonObject { ["type"] = "m.id.user", ["user"] = user },
            ["password"] = password,
            ["initial_device_display_name"] = deviceName,
        };
        var operation = $"sign in as {user}";
        var body = await SendAsync(HttpMethod.Post, "/_matrix/client/v3/login", request, null, operation, cancellationToken).ConfigureAwait(false);
        return Session(body, operation);
    }

    /// <summary>Ends the session of <paramref name="accessToken"/> (<c>POST /_matrix/client/v3/logout</c>).</summary>
    public Task LogoutAsync(string accessToken, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessToken);
        return SendAsync(HttpMethod.Post, "/_matrix/client/v3/logout", new JsonObject(), accessToken, "sign out", cancellationToken);
    }

    /// <summary>The user id the access token belongs to (<c>GET /_matrix/client/v3/account/whoami</c>).</summary>
    public async Task<string> WhoAmIAsync(string accessToken, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessToken);
        var body = await SendAsync(HttpMethod.Get, "/_matrix/client/v3/account/whoami", null, accessToken, "whoami", cancellationToken)
            .ConfigureAwait(false);
        return RequiredString(body, "user_id", "whoami");
    }

    /// <summary>
    /// Whether the token's user is a Dendrite admin (account type 3). Dendrite has no "am I admin" call, so this reads
    /// an admin-only list that changes nothing (<c>GET /_dendrite/admin/registrationTokens</c>): 200 for an admin,
    /// 403 <c>M_FORBIDDEN</c> otherwise.
    /// </summary>
    public async Task<bool> IsAdminAsync(string accessToken, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessToken);
        var (status, body) = await SendRawAsync(HttpMethod.Get, "/_dendrite/admin/registrationTokens", null, accessToken, cancellationToken)
            .ConfigureAwait(false);
        if (IsSuccess(status))
        {
            return true;
        }

        if (status == HttpStatusCode.Forbidden && ErrorCode(body) == MatrixErrorCodes.Forbidden)
        {
            return false;
        }

        throw Refusal("check admin rights", status, body);
    }

    /// <summary>Sets a user's display name with that user's own token (<c>PUT /profile/{userId}/displayname</c>).</summary>
    public Task SetDisplayNameAsync(string accessToken, string userId, string displayName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessToken);
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentNullException.ThrowIfNull(displayName);
        return SendAsync(HttpMethod.Put, $"/_matrix/client/v3/profile/{Uri.EscapeDataString(userId)}/displayname",
            new JsonObject { ["displayname"] = displayName }, accessToken, $"set the display name of {userId}", cancellationToken);
    }

    /// <summary>
    /// Sets a new password as an admin (<c>POST /_dendrite/admin/resetPassword/{userId}</c>, the full user id), and
    /// with <paramref name="logoutDevices"/> ends every session of the user. A missing user is 404 <c>M_UNKNOWN</c>.
    /// </summary>
    public async Task ResetPasswordAsync(
        string adminAccessToken, string userId, string password, bool logoutDevices, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(adminAccessToken);
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentException.ThrowIfNullOrEmpty(password);
        var operation = $"reset the password of {userId}";
        var (status, body) = await SendRawAsync(HttpMethod.Post, $"/_dendrite/admin/resetPassword/{Uri.EscapeDataString(userId)}",
            new JsonObject { ["password"] = password, ["logout_devices"] = logoutDevices }, adminAccessToken, cancellationToken).ConfigureAwait(false);
        if (!IsSuccess(status))
        {
            throw status == HttpStatusCode.NotFound
                ? new MatrixApiException(operation, status, ErrorCode(body), Reason(body), $"{userId} does not exist")
                : Refusal(operation, status, body);
        }
    }

    /// <summary>
    /// Makes the user leave every room (<c>POST /_dendrite/admin/evacuateUser/{userId}</c>); returns what Dendrite
    /// reports as affected (the rooms left).
    /// </summary>
    public async Task<IReadOnlyList<string>> EvacuateUserAsync(string adminAccessToken, string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(adminAccessToken);
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var body = await SendAsync(HttpMethod.Post, $"/_dendrite/admin/evacuateUser/{Uri.EscapeDataString(userId)}", new JsonObject(),
            adminAccessToken, $"make {userId} leave every room", cancellationToken).ConfigureAwait(false);
        if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("affected", out var affected) && affected.ValueKind == JsonValueKind.Array)
        {
            return [.. affected.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)];
        }

        return [];
    }

    /// <summary>
    /// Asks Dendrite to rebuild its full-text search index (<c>GET /_dendrite/admin/fulltext/reindex</c>); the
    /// reindex runs in the background after the answer.
    /// </summary>
    public Task ReindexSearchAsync(string adminAccessToken, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(adminAccessToken);
        return SendAsync(HttpMethod.Get, "/_dendrite/admin/fulltext/reindex", null, adminAccessToken, "start a search reindex", cancellationToken);
    }

    /// <summary>The room an alias names (<c>GET /_matrix/client/v3/directory/room/{alias}</c>).</summary>
    /// <param name="accessToken">Any signed-in session's token.</param>
    /// <param name="alias">The alias, e.g. <c>#family:family.example</c>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The room id, or null when no room has the alias.</returns>
    public async Task<string?> ResolveRoomAliasAsync(string accessToken, string alias, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessToken);
        ArgumentException.ThrowIfNullOrEmpty(alias);
        var path = $"/_matrix/client/v3/directory/room/{Uri.EscapeDataString(alias)}";
        var operation = $"find the room {alias}";
        var (status, body) = await SendRawAsync(HttpMethod.Get, path, null, accessToken, cancellationToken).ConfigureAwait(false);
        return status == HttpStatusCode.NotFound ? null
            : IsSuccess(status) ? RequiredString(body, "room_id", operation)
            : throw Refusal(operation, status, body, path);
    }

    /// <summary>Creates a room (<c>POST /_matrix/client/v3/createRoom</c>).</summary>
    /// <param name="accessToken">The creator's token.</param>
    /// <param name="request">The createRoom body (name, alias, preset, initial state, ...).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The new room's id. A taken alias throws <see cref="MatrixApiException"/> with <c>M_ROOM_IN_USE</c>.</returns>
    public async Task<string> CreateRoomAsync(string accessToken, JsonObject request, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessToken);
        ArgumentNullException.ThrowIfNull(request);
        const string Operation = "create the room";
        var body = await SendAsync(HttpMethod.Post, "/_matrix/client/v3/createRoom", request, accessToken, Operation, cancellationToken).ConfigureAwait(false);
        return RequiredString(body, "room_id", Operation);
    }

    /// <summary>Invites a user to a room (<c>POST /_matrix/client/v3/rooms/{roomId}/invite</c>).</summary>
    /// <param name="accessToken">A member's token, allowed to invite.</param>
    /// <param name="roomId">The room.</param>
    /// <param name="userId">The user to invite, e.g. <c>@grandma:family.example</c>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes once Dendrite accepted the invite.</returns>
    public Task InviteAsync(string accessToken, string roomId, string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessToken);
        ArgumentException.ThrowIfNullOrEmpty(roomId);
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return SendAsync(HttpMethod.Post, $"/_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/invite", new JsonObject { ["user_id"] = userId },
            accessToken, $"invite {userId} to {roomId}", cancellationToken);
    }

    /// <summary>Joins a room the caller was invited to (<c>POST /_matrix/client/v3/join/{roomId}</c>).</summary>
    /// <param name="accessToken">The joining user's token.</param>
    /// <param name="roomId">The room.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes once the user is in the room.</returns>
    public Task JoinRoomAsync(string accessToken, string roomId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessToken);
        ArgumentException.ThrowIfNullOrEmpty(roomId);
        return SendAsync(HttpMethod.Post, $"/_matrix/client/v3/join/{Uri.EscapeDataString(roomId)}", new JsonObject(),
            accessToken, $"join {roomId}", cancellationToken);
    }

    /// <summary>One state event's content (<c>GET /_matrix/client/v3/rooms/{roomId}/state/{type}/{stateKey}</c>).</summary>
    /// <param name="accessToken">A member's token.</param>
    /// <param name="roomId">The room.</param>
    /// <param name="eventType">The state event type, e.g. <c>m.room.power_levels</c>.</param>
    /// <param name="stateKey">The state key; empty for room-wide state.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The content, or null when the room has no such state.</returns>
    public async Task<JsonObject?> GetRoomStateAsync(string accessToken, string roomId, string eventType, string stateKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessToken);
        ArgumentException.ThrowIfNullOrEmpty(roomId);
        ArgumentException.ThrowIfNullOrEmpty(eventType);
        ArgumentNullException.ThrowIfNull(stateKey);
        var path = StatePath(roomId, eventType, stateKey);
        var operation = $"read {eventType} of {roomId}";
        var (status, body) = await SendRawAsync(HttpMethod.Get, path, null, accessToken, cancellationToken).ConfigureAwait(false);
        return status == HttpStatusCode.NotFound ? null
            : IsSuccess(status) ? JsonNode.Parse(body.GetRawText()) as JsonObject ?? []
            : throw Refusal(operation, status, body, path);
    }

    /// <summary>Sends a state event (<c>PUT /_matrix/client/v3/rooms/{roomId}/state/{type}/{stateKey}</c>).</summary>
    /// <param name="accessToken">A member's token, with the power to send it.</param>
    /// <param name="roomId">The room.</param>
    /// <param name="eventType">The state event type.</param>
    /// <param name="stateKey">The state key; empty for room-wide state.</param>
    /// <param name="content">The new content.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes once Dendrite accepted the event.</returns>
    public Task SetRoomStateAsync(string accessToken, string roomId, string eventType, string stateKey, JsonObject content, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessToken);
        ArgumentException.ThrowIfNullOrEmpty(roomId);
        ArgumentException.ThrowIfNullOrEmpty(eventType);
        ArgumentNullException.ThrowIfNull(stateKey);
        ArgumentNullException.ThrowIfNull(content);
        return SendAsync(HttpMethod.Put, StatePath(roomId, eventType, stateKey), content, accessToken, $"set {eventType} of {roomId}", cancellationToken);
    }

    // Dendrite routes room-wide state as /state/{type}, without the trailing slash an empty key would leave.
    private static string StatePath(string roomId, string eventType, string stateKey) =>
        $"/_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/state/{Uri.EscapeDataString(eventType)}"
        + (stateKey.Length == 0 ? "" : "/" + Uri.EscapeDataString(stateKey));

    private async Task<JsonElement> SendAsync(
        HttpMethod method, string path, JsonNode? body, string? accessToken, string operation, CancellationToken cancellationToken)
    {
        var (status, answer) = await SendRawAsync(method, path, body, accessToken, cancellationToken).ConfigureAwait(false);
        return IsSuccess(status) ? answer : throw Refusal(operation, status, answer, path);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendRawAsync(
        HttpMethod method, string path, JsonNode? body, string? accessToken, CancellationToken cancellationToken)
    {
        var rateLimited = 0;
        var transient = 0;
        while (true)
        {
            using var request = new HttpRequestMessage(method, path);
            request.Options.Set(CallerRetries, true);
            if (body is not null)
            {
                request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            }

            if (accessToken is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
            }

            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransientFailure(e, cancellationToken) && IsSafe(method) && transient++ < MaxTransientRetries)
            {
                await Task.Delay(TransientRetryDelay, cancellationToken).ConfigureAwait(false);
                continue;
            }

            using (response)
            {
                var answer = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
                if (IsRetryable(method, response.StatusCode) && (response.StatusCode == HttpStatusCode.TooManyRequests
                    ? rateLimited++ < MaxRateLimitRetries
                    : transient++ < MaxTransientRetries))
                {
                    await Task.Delay(response.StatusCode == HttpStatusCode.TooManyRequests ? RetryDelay(answer) : TransientRetryDelay, cancellationToken)
                        .ConfigureAwait(false);
                    continue;
                }

                return (response.StatusCode, answer);
            }
        }
    }

    /// <summary>
    /// Whether an answer with <paramref name="status"/> to a <paramref name="method"/> request is sent again: 429 for
    /// every method (Dendrite refused it before acting), 502, 503 and 504 only for GET and HEAD (the request may have
    /// been carried out before the answer was lost, and only reading twice is harmless).
    /// </summary>
    public static bool IsRetryable(HttpMethod method, HttpStatusCode status)
    {
        ArgumentNullException.ThrowIfNull(method);
        return status == HttpStatusCode.TooManyRequests
            || (IsSafe(method) && status is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout);
    }

    private static bool IsSafe(HttpMethod method) => method == HttpMethod.Get || method == HttpMethod.Head;

    private static bool IsTransientFailure(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        || e.GetType().Name == "TimeoutRejectedException";

    private static TimeSpan RetryDelay(JsonElement body)
    {
        if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("retry_after_ms", out var ms) && ms.TryGetInt64(out var value) && value > 0)
        {
            return TimeSpan.FromMilliseconds(Math.Min(value, MaxRetryDelay.TotalMilliseconds));
        }

        return TimeSpan.FromMilliseconds(500);
    }

    private static async Task<JsonElement> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(text))
        {
            return JsonSerializer.SerializeToElement(new JsonObject());
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(text);
        }
    }

    private static bool IsSuccess(HttpStatusCode status) => (int)status is >= 200 and < 300;

    private static string? ErrorCode(JsonElement body) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty("errcode", out var code) && code.ValueKind == JsonValueKind.String
            ? code.GetString()
            : null;

    private static string Reason(JsonElement body)
    {
        if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
        {
            return error.GetString()!;
        }

        var text = body.ValueKind == JsonValueKind.String ? body.GetString()! : body.GetRawText();
        text = text.Trim();
        return text.Length > 300 ? text[..300] + "..." : text;
    }

    private static MatrixApiException Refusal(string operation, HttpStatusCode status, JsonElement body, string? path = null)
    {
        var code = ErrorCode(body);
        var reason = Reason(body);
        if (path == SharedSecretRegistrationPath && status == HttpStatusCode.NotFound && code is null or "M_UNRECOGNIZED" or "M_NOT_FOUND")
        {
            return new MatrixApiException(operation, status, code, reason,
                $"{operation}: this homeserver does not offer shared-secret registration (client_api.registration_shared_secret is empty)");
        }

        if (code == MatrixErrorCodes.Forbidden && reason == "bad mac")
        {
            return new MatrixApiException(operation, status, code, reason,
                $"{operation}: Dendrite refused the shared secret (bad mac, {code}); use the homeserver's registration shared secret");
        }

        return new MatrixApiException(operation, status, code, string.IsNullOrEmpty(reason) ? status.ToString() : reason);
    }

    private static string RequiredString(JsonElement body, string property, string operation) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new MatrixApiException(operation, HttpStatusCode.OK, null, $"the answer has no \"{property}\"",
                string.Create(CultureInfo.InvariantCulture, $"{operation}: Dendrite's answer has no \"{property}\""));

    private static MatrixSession Session(JsonElement body, string operation) =>
        new(RequiredString(body, "user_id", operation), RequiredString(body, "access_token", operation),
            body.TryGetProperty("device_id", out var device) && device.ValueKind == JsonValueKind.String ? device.GetString() : null);
}
