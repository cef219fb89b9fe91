using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DendriteAspire.Integration.Tests;

/// <summary>
/// The few Matrix client-server calls the live suite and the benchmark need, over a plain <see cref="HttpClient"/>
/// whose base address is the homeserver. Methods return the raw <see cref="MatrixResponse"/> where a test looks at
/// refusals, and typed values where only success makes sense.
/// </summary>
public sealed class MatrixClient(HttpClient http)
{
    public HttpClient Http { get; } = http;

    public Task<MatrixResponse> GetAsync(string path, string? accessToken, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, null, accessToken, cancellationToken);

    public async Task<MatrixResponse> SendAsync(
        HttpMethod method, string path, JsonNode? body, string? accessToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        return await SendAsync(request, accessToken, cancellationToken).ConfigureAwait(false);
    }

    public Task<MatrixResponse> LoginAsync(string user, string password, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "/_matrix/client/v3/login", new JsonObject
        {
            ["type"] = "m.login.password",
            ["identifier"] = new JsonObject { ["type"] = "m.id.user", ["user"] = user },
            ["password"] = password,
        }, null, cancellationToken);

    public async Task<MatrixSession> LoginOrThrowAsync(string user, string password, CancellationToken cancellationToken)
    {
        var response = (await LoginAsync(user, password, cancellationToken).ConfigureAwait(false)).EnsureSuccess($"login {user}");
        return new MatrixSession(response.GetString("user_id"), response.GetString("access_token"));
    }

    public async Task<string> WhoAmIAsync(MatrixSession session, CancellationToken cancellationToken)
    {
        var response = await GetAsync("/_matrix/client/v3/account/whoami", session.AccessToken, cancellationToken).ConfigureAwait(false);
        return response.EnsureSuccess("whoami").GetString("user_id");
    }

    public async Task<string> CreatePrivateRoomAsync(MatrixSession creator, string name, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["preset"] = "private_chat", ["visibility"] = "private", ["name"] = name };
        var response = await SendAsync(HttpMethod.Post, "/_matrix/client/v3/createRoom", body, creator.AccessToken, cancellationToken)
            .ConfigureAwait(false);
        return response.EnsureSuccess("createRoom").GetString("room_id");
    }

    public async Task InviteAsync(MatrixSession inviter, string roomId, string userId, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["user_id"] = userId };
        (await SendAsync(HttpMethod.Post, $"/_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/invite", body,
            inviter.AccessToken, cancellationToken).ConfigureAwait(false)).EnsureSuccess("invite");
    }

    public async Task JoinAsync(MatrixSession user, string roomId, CancellationToken cancellationToken) =>
        (await SendAsync(HttpMethod.Post, $"/_matrix/client/v3/join/{Uri.EscapeDataString(roomId)}", new JsonObject(),
            user.AccessToken, cancellationToken).ConfigureAwait(false)).EnsureSuccess("join");

    /// <summary>Sends an <c>m.room.message</c> text with a fresh transaction id; returns the event id.</summary>
    public async Task<string> SendTextAsync(MatrixSession sender, string roomId, string text, CancellationToken cancellationToken)
    {
        var path = $"/_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/send/m.room.message/{Guid.NewGuid():N}";
        var body = new JsonObject { ["msgtype"] = "m.text", ["body"] = text };
        var response = await SendAsync(HttpMethod.Put, path, body, sender.AccessToken, cancellationToken).ConfigureAwait(false);
        return response.EnsureSuccess("send message").GetString("event_id");
    }

    /// <summary>One <c>/sync</c>; <paramref name="timeoutMs"/> is the server-side long-poll time.</summary>
    public async Task<JsonElement> SyncAsync(MatrixSession user, string? since, int timeoutMs, CancellationToken cancellationToken)
    {
        var path = $"/_matrix/client/v3/sync?timeout={timeoutMs}" + (since is null ? "" : $"&since={Uri.EscapeDataString(since)}");
        var response = await GetAsync(path, user.AccessToken, cancellationToken).ConfigureAwait(false);
        return response.EnsureSuccess("sync").Body;
    }

    /// <summary>
    /// Long-polls <c>/sync</c> from <paramref name="since"/> until the event appears in the room's timeline; returns
    /// the event and the next batch token. Bounded by <paramref name="timeout"/>.
    /// </summary>
    public async Task<(JsonElement Event, string NextBatch)> WaitForEventAsync(
        MatrixSession user, string since, string roomId, string eventId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var token = since;
        while (true)
        {
            JsonElement sync;
            try
            {
                sync = await SyncAsync(user, token, 5_000, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{eventId} did not reach {user.UserId} through /sync within {timeout.TotalSeconds:0} s");
            }

            token = sync.GetProperty("next_batch").GetString()!;
            if (FindTimelineEvent(sync, roomId, eventId) is { } found)
            {
                return (found, token);
            }
        }
    }

    /// <summary>The event with <paramref name="eventId"/> in a <c>/sync</c> response's timeline of a joined room, if there.</summary>
    public static JsonElement? FindTimelineEvent(JsonElement sync, string roomId, string eventId)
    {
        if (sync.TryGetProperty("rooms", out var rooms) && rooms.TryGetProperty("join", out var joined) &&
            joined.TryGetProperty(roomId, out var room) && room.TryGetProperty("timeline", out var timeline) &&
            timeline.TryGetProperty("events", out var events))
        {
            foreach (var e in events.EnumerateArray())
            {
                if (e.TryGetProperty("event_id", out var id) && id.GetString() == eventId)
                {
                    return e.Clone();
                }
            }
        }

        return null;
    }

    /// <summary>The newest events of a room, newest first (<c>/messages?dir=b</c>).</summary>
    public async Task<JsonElement> GetMessagesAsync(MatrixSession user, string roomId, CancellationToken cancellationToken)
    {
        var path = $"/_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/messages?dir=b&limit=100";
        var response = await GetAsync(path, user.AccessToken, cancellationToken).ConfigureAwait(false);
        return response.EnsureSuccess("messages").Body.GetProperty("chunk");
    }

    public async Task<MatrixResponse> UploadAsync(
        MatrixSession user, byte[] content, string fileName, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/_matrix/media/v3/upload?filename={Uri.EscapeDataString(fileName)}");
        request.Content = new ByteArrayContent(content);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        // Lets the server refuse an oversized upload (413) before the body is sent, instead of a reset mid-body.
        request.Headers.ExpectContinue = true;
        return await SendAsync(request, user.AccessToken, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Downloads an <c>mxc://server/id</c> URI through the authenticated media API, falling back to the legacy
    /// <c>/_matrix/media/v3/download</c> when the server does not serve the authenticated path.
    /// </summary>
    public async Task<(HttpStatusCode Status, byte[] Content)> DownloadAsync(
        MatrixSession user, string mxcUri, CancellationToken cancellationToken)
    {
        var uri = new Uri(mxcUri);
        var serverAndId = $"{Uri.EscapeDataString(uri.Authority)}/{Uri.EscapeDataString(uri.AbsolutePath.TrimStart('/'))}";
        var (status, content) = await DownloadFromAsync($"/_matrix/client/v1/media/download/{serverAndId}", user, cancellationToken)
            .ConfigureAwait(false);
        if (status is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
        {
            (status, content) = await DownloadFromAsync($"/_matrix/media/v3/download/{serverAndId}", user, cancellationToken)
                .ConfigureAwait(false);
        }

        return (status, content);
    }

    private async Task<(HttpStatusCode Status, byte[] Content)> DownloadFromAsync(
        string path, MatrixSession user, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.AccessToken);
        using var response = await Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
    }

    private async Task<MatrixResponse> SendAsync(HttpRequestMessage request, string? accessToken, CancellationToken cancellationToken)
    {
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        using var response = await Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return await MatrixResponse.ReadAsync(response, cancellationToken).ConfigureAwait(false);
    }
}
