using System.Net;
using System.Text;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using DendriteAspire.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace DendriteAspire.Integration.Tests;

/// <summary>
/// Case 9 (SQLite and Postgres): stop the whole app and start it again on the same volumes. The signing key is
/// untouched, the users can log in, and the earlier message is still in the room's history.
/// </summary>
[Trait("Category", "Live")]
public class RestartTests
{
    [Fact]
    public Task Restart_OnSqlite_KeepsKeyUsersAndHistory() => AssertRestartKeepsEverythingAsync(withPostgres: false);

    [Fact]
    public Task Restart_OnPostgres_KeepsKeyUsersAndHistory() => AssertRestartKeepsEverythingAsync(withPostgres: true);

    private static async Task AssertRestartKeepsEverythingAsync(bool withPostgres)
    {
        var runtime = await LiveEnvironment.RequireAsync(withPostgres);
        var ct = TestContext.Current.CancellationToken;
        var prefix = VolumePrefix.New(withPostgres ? "restart-pg" : "restart");
        // The same Postgres password for both runs, whatever the user-secrets store of this machine holds.
        string[] settings = withPostgres
            ? ["--Dendrite:Database:Provider=Postgres", $"--Parameters:{DendriteApp.PostgresPasswordParameter}=pg-{Guid.NewGuid():N}"]
            : [];
        try
        {
            RegisteredUser admin, user;
            string roomId, eventId, text = $"before the restart {Guid.NewGuid():N}";
            byte[] keyBefore;
            MatrixResponse serverKeysBefore;
            await using (var first = await DendriteApp.StartAsync(runtime, prefix, settings, ct))
            {
                admin = await Conversation.RegisterAsync(first, "admin", admin: true, ct);
                user = await Conversation.RegisterAsync(first, "user", admin: false, ct);
                roomId = await Conversation.OpenPrivateRoomAsync(first.Matrix, admin, user, ct);
                eventId = await Conversation.SendAndReceiveAsync(first.Matrix, admin.Session, user.Session, roomId, text, ct);
                keyBefore = await runtime.ReadSigningKeyAsync(prefix, LiveEnvironment.DendriteImage, ct);
                serverKeysBefore = await first.Matrix.GetAsync("/_matrix/key/v2/server", null, ct);
            }

            await using var second = await DendriteApp.StartAsync(runtime, prefix, settings, ct);
            await AssertKeyStepSkippedWhereTheKeyIsVisibleAsync(second, runtime, prefix, ct);

            var keyAfter = await runtime.ReadSigningKeyAsync(prefix, LiveEnvironment.DendriteImage, ct);
            Assert.Contains("MATRIX PRIVATE KEY", Encoding.UTF8.GetString(keyBefore), StringComparison.Ordinal);
            Assert.Equal(keyBefore, keyAfter);
            var serverKeysAfter = await second.Matrix.GetAsync("/_matrix/key/v2/server", null, ct);
            Assert.Equal(serverKeysBefore.Status, serverKeysAfter.Status);
            if (serverKeysBefore.Status == HttpStatusCode.OK)
            {
                Assert.Equal(KeyIds(serverKeysBefore.Body), KeyIds(serverKeysAfter.Body));
            }

            var adminAgain = await second.Matrix.LoginOrThrowAsync(admin.Localpart, admin.Password, ct);
            var userAgain = await second.Matrix.LoginOrThrowAsync(user.Localpart, user.Password, ct);
            Assert.Equal(admin.Session.UserId, await second.Matrix.WhoAmIAsync(adminAgain, ct));
            Assert.Equal(user.Session.UserId, await second.Matrix.WhoAmIAsync(userAgain, ct));

            var history = await second.Matrix.GetMessagesAsync(userAgain, roomId, ct);
            var earlier = history.EnumerateArray().Where(e => e.GetProperty("event_id").GetString() == eventId).ToList();
            Assert.Single(earlier);
            Conversation.AssertTextMessage(earlier[0], eventId, admin.Session.UserId, text);

            await Conversation.SendAndReceiveAsync(second.Matrix, userAgain, adminAgain, roomId, "after the restart", ct);
        }
        finally
        {
            await VolumePrefix.RemoveVolumesAsync(runtime, prefix, withPostgres);
        }
    }

    /// <summary>
    /// A warm start does not run the key step where the AppHost can see the key on the volume (this test process runs
    /// as the same user, so it sees what the AppHost saw); where it cannot, the step runs and keeps the key.
    /// </summary>
    private static async Task AssertKeyStepSkippedWhereTheKeyIsVisibleAsync(DendriteApp app, ContainerRuntime runtime, string prefix,
        CancellationToken ct)
    {
        var mountpoint = await ExistingSigningKey.MountpointAsync(runtime.Name, $"{prefix}-storage-keys", ct);
        var visible = mountpoint is not null && ExistingSigningKey.AllPresent(mountpoint, ExistingSigningKey.Files(withTlsCertificate: false));
        Assert.True(app.App.ResourceNotifications.TryGetCurrentState("dendrite-keygen", out var keygen), "dendrite-keygen is not in the resource list");
        var dendrite = app.Model.Resources.OfType<DendriteResource>().Single();
        var log = await StartDiagnostics.LastLinesAsync(app.App.Services.GetRequiredService<ResourceLoggerService>(), keygen.ResourceId);
        if (visible)
        {
            Assert.Equal(KnownResourceStates.NotStarted, keygen.Snapshot.State?.Text);
            Assert.DoesNotContain(dendrite.Annotations.OfType<WaitAnnotation>(), w => w.Resource.Name == "dendrite-keygen");
            Assert.Contains(log, l => l.Contains($"Not started: matrix_key.pem already on volume {prefix}-storage-keys", StringComparison.Ordinal));
        }
        else
        {
            Assert.Equal(0, keygen.Snapshot.ExitCode);
            Assert.Contains(log, l => l.Contains("exists; keeping it.", StringComparison.Ordinal));
        }
    }

    private static List<string> KeyIds(JsonElement serverKeys) =>
        serverKeys.GetProperty("verify_keys").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
}
