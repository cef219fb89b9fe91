using System.Net;
using System.Text.Json.Nodes;

namespace DendriteAspire.Integration.Tests;

/// <summary>
/// The family the survival tests (the restore drill, the move from SQLite to Postgres) make on a live server and check
/// afterwards: mum (a server admin) and the kid in a private room, a 1 MiB upload by the kid, and the kid's display
/// name. Each test adds its own messages and what it asserts about them.
/// </summary>
internal abstract class LiveFamily(RegisteredUser admin, RegisteredUser member, string roomId, LiveFamily.Keepsakes keepsakes)
{
    public RegisteredUser Admin { get; } = admin;

    public RegisteredUser Member { get; } = member;

    public string RoomId { get; } = roomId;

    public byte[] Media => keepsakes.Media;

    public string ContentUri => keepsakes.ContentUri;

    public string DisplayName => keepsakes.DisplayName;

    /// <summary>What the kid shared: the upload's bytes and content URI, and the display name.</summary>
    internal sealed record Keepsakes(byte[] Media, string ContentUri, string DisplayName);

    /// <summary>Mum and the kid, registered, in a private room.</summary>
    protected static async Task<(RegisteredUser Admin, RegisteredUser Member, string RoomId)> MeetAsync(DendriteApp app, CancellationToken ct)
    {
        var admin = await Conversation.RegisterAsync(app, "mum", admin: true, ct);
        var member = await Conversation.RegisterAsync(app, "kid", admin: false, ct);
        return (admin, member, await Conversation.OpenPrivateRoomAsync(app.Matrix, admin, member, ct));
    }

    /// <summary>The kid uploads 1 MiB of random bytes and picks a display name.</summary>
    protected static async Task<Keepsakes> ShareAsync(DendriteApp app, RegisteredUser member, CancellationToken ct)
    {
        var media = new byte[1024 * 1024];
        Random.Shared.NextBytes(media);
        var contentUri = (await app.Matrix.UploadAsync(member.Session, media, "photo.bin", ct)).EnsureSuccess("upload").GetString("content_uri");
        var displayName = $"Kid {Guid.NewGuid():N}"[..12];
        (await app.Matrix.SendAsync(HttpMethod.Put, $"/_matrix/client/v3/profile/{Uri.EscapeDataString(member.Session.UserId)}/displayname",
            new JsonObject { ["displayname"] = displayName }, member.Session.AccessToken, ct)).EnsureSuccess("set display name");
        return new Keepsakes(media, contentUri, displayName);
    }

    /// <summary>The upload downloads byte-identical, and the display name survived.</summary>
    protected async Task AssertKeepsakesAsync(MatrixClient matrix, MatrixSession member, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var (status, downloaded) = await matrix.DownloadAsync(member, ContentUri, ct);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(Media.AsSpan().SequenceEqual(downloaded), $"downloaded {downloaded.Length} bytes differ from the 1 MiB upload");
        var profile = (await matrix.GetAsync($"/_matrix/client/v3/profile/{Uri.EscapeDataString(Member.Session.UserId)}/displayname",
            member.AccessToken, ct)).EnsureSuccess("get display name");
        Assert.Equal(DisplayName, profile.GetString("displayname"));
    }
}
