using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using DendriteAspire.Integration.Tests;

namespace DendriteAspire.Bench;

/// <summary>p50 and p95 of one path, in milliseconds.</summary>
internal sealed record Latency(double P50, double P95, int Count)
{
    public static Latency Of(List<double> samples)
    {
        samples.Sort();
        return new Latency(Percentile(samples, 0.50), Percentile(samples, 0.95), samples.Count);
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}

/// <summary>
/// Send-to-arrival latency: the receiver's <c>/sync</c> long-poll is already waiting when the sender sends, and the
/// time runs from the send until the long-poll returns the event. Sender and receiver use the same path. Two paths to the same Dendrite are measured
/// alternately, message by message, so that drift affects both alike.
/// </summary>
internal sealed class MessageRoundTrip(MatrixClient sender, MatrixSession senderSession, string roomId)
{
    private static readonly TimeSpan PerMessageTimeout = TimeSpan.FromSeconds(30);

    public static async Task<MessageRoundTrip> PrepareAsync(MatrixClient client, string sharedSecret, CancellationToken cancellationToken)
    {
        // The sender is an admin: Dendrite does not rate-limit admin accounts, so pacing does not enter the numbers.
        var admin = await RegisterAsync(client, sharedSecret, "benchsender", true, cancellationToken).ConfigureAwait(false);
        var roomId = await client.CreatePrivateRoomAsync(admin, "bench", cancellationToken).ConfigureAwait(false);
        return new MessageRoundTrip(client, admin, roomId);
    }

    public async Task<MatrixSession> AddReceiverAsync(MatrixClient client, string sharedSecret, CancellationToken cancellationToken)
    {
        var receiver = await RegisterAsync(client, sharedSecret, "benchreceiver", false, cancellationToken).ConfigureAwait(false);
        await sender.InviteAsync(senderSession, roomId, receiver.UserId, cancellationToken).ConfigureAwait(false);
        await client.JoinAsync(receiver, roomId, cancellationToken).ConfigureAwait(false);
        return receiver;
    }

    /// <summary>Measures <paramref name="messages"/> round trips through each receiver's client, interleaved.</summary>
    public async Task<Latency[]> MeasureAsync(IReadOnlyList<(MatrixClient Client, MatrixSession Receiver)> paths, int messages,
        CancellationToken cancellationToken)
    {
        var samples = paths.Select(_ => new List<double>()).ToArray();
        var since = new string[paths.Count];
        for (var p = 0; p < paths.Count; p++)
        {
            var initial = await paths[p].Client.SyncAsync(paths[p].Receiver, null, 0, cancellationToken).ConfigureAwait(false);
            since[p] = initial.GetProperty("next_batch").GetString()!;
        }

        for (var i = 0; i < messages; i++)
        {
            for (var p = 0; p < paths.Count; p++)
            {
                var (elapsed, next) = await OneAsync(paths[p].Client, paths[p].Receiver, since[p], cancellationToken).ConfigureAwait(false);
                samples[p].Add(elapsed.TotalMilliseconds);
                since[p] = next;
            }
        }

        return samples.Select(Latency.Of).ToArray();
    }

    private async Task<(TimeSpan Elapsed, string Since)> OneAsync(MatrixClient client, MatrixSession receiver, string since,
        CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(PerMessageTimeout);
        var poll = client.SyncAsync(receiver, since, 10_000, deadline.Token);
        var (clock, eventId) = await SendAsync(client, deadline.Token).ConfigureAwait(false);
        while (true)
        {
            var sync = await poll.ConfigureAwait(false);
            since = sync.GetProperty("next_batch").GetString()!;
            if (MatrixClient.FindTimelineEvent(sync, roomId, eventId) is not null)
            {
                return (clock.Elapsed, since);
            }

            poll = client.SyncAsync(receiver, since, 10_000, deadline.Token);
        }
    }

    /// <summary>Sends one message; the clock starts at the accepted attempt (a 429 waits and starts over).</summary>
    private async Task<(Stopwatch Clock, string EventId)> SendAsync(MatrixClient client, CancellationToken cancellationToken)
    {
        while (true)
        {
            var path = $"/_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/send/m.room.message/{Guid.NewGuid():N}";
            var body = new JsonObject { ["msgtype"] = "m.text", ["body"] = "round trip" };
            var clock = Stopwatch.StartNew();
            var response = await client.SendAsync(HttpMethod.Put, path, body, senderSession.AccessToken, cancellationToken).ConfigureAwait(false);
            if (response.Status != HttpStatusCode.TooManyRequests)
            {
                return (clock, response.EnsureSuccess("send").GetString("event_id"));
            }

            var retryMs = response.Body.TryGetProperty("retry_after_ms", out var retry) && retry.ValueKind == JsonValueKind.Number
                ? retry.GetInt32() : 500;
            await Task.Delay(retryMs, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<MatrixSession> RegisterAsync(MatrixClient client, string secret, string stem, bool admin,
        CancellationToken cancellationToken)
    {
        var localpart = SharedSecretRegistration.NewLocalpart(stem);
        var response = (await SharedSecretRegistration.RegisterAsync(client, secret, localpart, $"pw-{Guid.NewGuid():N}", admin,
            cancellationToken).ConfigureAwait(false)).EnsureSuccess($"register {localpart}");
        return new MatrixSession(response.GetString("user_id"), response.GetString("access_token"));
    }
}
