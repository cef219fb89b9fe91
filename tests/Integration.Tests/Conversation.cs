using System.Net;
using System.Text.Json;

namespace DendriteAspire.Integration.Tests;

/// <summary>A user created through shared-secret registration, with the password to log in again.</summary>
public sealed record RegisteredUser(string Localpart, string Password, MatrixSession Session);

/// <summary>
/// The steps of a real conversation (register, open a private room, send and receive), asserted as they go. Shared by
/// the SQLite, Postgres and restart cases.
/// </summary>
public static class Conversation
{
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Registers a new user with the AppHost's generated registration secret.</summary>
    public static async Task<RegisteredUser> RegisterAsync(DendriteApp app, string stem, bool admin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        var secret = await app.GetParameterValueAsync(DendriteApp.RegistrationSecretParameter, cancellationToken);
        var localpart = SharedSecretRegistration.NewLocalpart(stem);
        var password = $"pw-{Guid.NewGuid():N}";
        var response = await SharedSecretRegistration.RegisterAsync(app.Matrix, secret, localpart, password, admin, cancellationToken);
        Assert.True(response.IsSuccess, $"shared-secret registration of {localpart}: {(int)response.Status} {response.Body}");
        var session = new MatrixSession(response.GetString("user_id"), response.GetString("access_token"));
        Assert.StartsWith($"@{localpart}:", session.UserId, StringComparison.Ordinal);
        return new RegisteredUser(localpart, password, session);
    }

    /// <summary>Whether the user may call an admin-only API (Dendrite's registration-token list).</summary>
    public static async Task AssertAdminAsync(MatrixClient matrix, MatrixSession user, bool expectedAdmin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var response = await matrix.GetAsync("/_dendrite/admin/registrationTokens", user.AccessToken, cancellationToken);
        if (expectedAdmin)
        {
            Assert.True(response.IsSuccess, $"admin API refused {user.UserId}: {(int)response.Status} {response.Body}");
        }
        else
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.Status);
            Assert.Equal("M_FORBIDDEN", response.ErrorCode);
        }
    }

    /// <summary>The admin creates a private room and invites the member, who joins. Returns the room id.</summary>
    public static async Task<string> OpenPrivateRoomAsync(
        MatrixClient matrix, RegisteredUser admin, RegisteredUser member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentNullException.ThrowIfNull(member);
        var roomId = await matrix.CreatePrivateRoomAsync(admin.Session, $"live test {Guid.NewGuid():N}", cancellationToken);
        Assert.StartsWith("!", roomId, StringComparison.Ordinal);
        await matrix.InviteAsync(admin.Session, roomId, member.Session.UserId, cancellationToken);
        await matrix.JoinAsync(member.Session, roomId, cancellationToken);
        return roomId;
    }

    /// <summary>
    /// Sends a text as <paramref name="sender"/> and waits for it in <paramref name="receiver"/>'s <c>/sync</c>;
    /// asserts the same event id, sender and body. Returns the event id.
    /// </summary>
    public static async Task<string> SendAndReceiveAsync(
        MatrixClient matrix, MatrixSession sender, MatrixSession receiver, string roomId, string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(sender);
        var since = (await matrix.SyncAsync(receiver, null, 0, cancellationToken)).GetProperty("next_batch").GetString();
        Assert.False(string.IsNullOrEmpty(since));
        var eventId = await matrix.SendTextAsync(sender, roomId, text, cancellationToken);
        var (received, _) = await matrix.WaitForEventAsync(receiver, since, roomId, eventId, DeliveryTimeout, cancellationToken);
        AssertTextMessage(received, eventId, sender.UserId, text);
        return eventId;
    }

    public static void AssertTextMessage(JsonElement roomEvent, string eventId, string senderId, string text)
    {
        Assert.Equal(eventId, roomEvent.GetProperty("event_id").GetString());
        Assert.Equal("m.room.message", roomEvent.GetProperty("type").GetString());
        Assert.Equal(senderId, roomEvent.GetProperty("sender").GetString());
        Assert.Equal(text, roomEvent.GetProperty("content").GetProperty("body").GetString());
    }
}
