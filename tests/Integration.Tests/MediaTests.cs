using System.Net;

namespace DendriteAspire.Integration.Tests;

/// <summary>Case 5: media round trip, and the configured upload limit (<c>Dendrite:Media:MaxFileSizeBytes</c>).</summary>
[Trait("Category", "Live")]
[Collection(SqliteStackDefinition.Name)]
public class MediaTests(SqliteAppFixture stack)
{
    [Fact]
    public async Task OneMebibyteUpload_DownloadsByteIdentical()
    {
        var app = await stack.GetAppAsync();
        var ct = TestContext.Current.CancellationToken;
        var user = await Conversation.RegisterAsync(app, "media", admin: false, ct);
        var content = new byte[1024 * 1024];
        Random.Shared.NextBytes(content);

        var upload = (await app.Matrix.UploadAsync(user.Session, content, "random.bin", ct)).EnsureSuccess("upload");
        var contentUri = upload.GetString("content_uri");
        Assert.StartsWith("mxc://", contentUri, StringComparison.Ordinal);
        var (status, downloaded) = await app.Matrix.DownloadAsync(user.Session, contentUri, ct);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(content.Length, downloaded.Length);
        Assert.True(content.AsSpan().SequenceEqual(downloaded), "downloaded bytes differ from the upload");
    }

    [Fact]
    public async Task UploadOverTheConfiguredLimit_IsRejectedWith413()
    {
        var app = await stack.GetAppAsync();
        var ct = TestContext.Current.CancellationToken;
        var user = await Conversation.RegisterAsync(app, "media", admin: false, ct);
        var content = new byte[SqliteAppFixture.MaxUploadBytes + (512 * 1024)];

        var upload = await app.Matrix.UploadAsync(user.Session, content, "too-large.bin", ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, upload.Status);
        Assert.Equal("M_TOO_LARGE", upload.ErrorCode);
    }
}
