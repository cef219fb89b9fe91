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
/// The first run is the previous version's (Dendrite and the key step as root, <see cref="PreviousVersion"/>), so the
/// restart is also the upgrade to a non-root Dendrite: the volume-owner step gives every root-owned file to Dendrite's
/// cluster user once, Dendrite then runs as that uid, keeps its key and writes its data; a third start (SQLite) finds
/// nothing to change.
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
            await using (var first = await DendriteApp.StartAsync(runtime, prefix, settings, ct, PreviousVersion.RunsDendriteAsRoot))
            {
                var container = await LocalUser.DendriteContainerAsync(runtime, prefix, ct);
                Assert.Equal((0L, 0L), await LocalUser.ProcessIdentityAsync(runtime, container, ct));
                admin = await Conversation.RegisterAsync(first, "admin", admin: true, ct);
                user = await Conversation.RegisterAsync(first, "user", admin: false, ct);
                roomId = await Conversation.OpenPrivateRoomAsync(first.Matrix, admin, user, ct);
                eventId = await Conversation.SendAndReceiveAsync(first.Matrix, admin.Session, user.Session, roomId, text, ct);
                keyBefore = await runtime.ReadSigningKeyAsync(prefix, LiveEnvironment.DendriteImage, ct);
                serverKeysBefore = await first.Matrix.GetAsync("/_matrix/key/v2/server", null, ct);
            }

            // What the previous version left: root's files on the volumes (the key 0400 among them).
            var rootOwned = (await LocalUser.VolumeFilesAsync(runtime, prefix, ct)).Where(f => f.StartsWith("0:0 ", StringComparison.Ordinal)).ToList();
            Assert.Contains(rootOwned, f => f == "0:0 400 ./storage-keys/matrix_key.pem");
            Assert.Contains(rootOwned, f => f.StartsWith("0:0 ", StringComparison.Ordinal) && f.Contains("./jetstream/", StringComparison.Ordinal));

            await using var second = await DendriteApp.StartAsync(runtime, prefix, settings, ct);
            await AssertKeyStepSkippedWhereTheKeyIsVisibleAsync(second, runtime, prefix, ct);
            var changed = await OwnershipStepLogAsync(second);
            Assert.Contains(changed, l => l.Contains("Volume ownership: changed ", StringComparison.Ordinal)
                && l.Contains($"files and directories on 6 of 6 volumes to {ClusterUser} in ", StringComparison.Ordinal));
            await AssertRunsAsClusterUserAndOwnsEveryFileAsync(runtime, prefix, ct);

            // Without federation (port 8448 is fixed, so the live tests keep it off) Dendrite serves no
            // /_matrix/key/v2/server; the key file, byte for byte, is its key id (Key-ID header) and seed, so its public key.
            var keyAfter = await runtime.ReadSigningKeyAsync(prefix, LiveEnvironment.DendriteImage, ct);
            Assert.Contains("MATRIX PRIVATE KEY", Encoding.UTF8.GetString(keyBefore), StringComparison.Ordinal);
            Assert.Contains("Key-ID: ed25519:", Encoding.UTF8.GetString(keyBefore), StringComparison.Ordinal);
            Assert.Equal(keyBefore, keyAfter);
            var serverKeysAfter = await second.Matrix.GetAsync("/_matrix/key/v2/server", null, ct);
            Assert.Equal(serverKeysBefore.Status, serverKeysAfter.Status);
            if (serverKeysBefore.Status == HttpStatusCode.OK)
            {
                Assert.Equal(KeyIds(serverKeysBefore.Body), KeyIds(serverKeysAfter.Body));
                Assert.Equal(VerifyKeys(serverKeysBefore.Body), VerifyKeys(serverKeysAfter.Body)); // the same public key too
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
            await second.DisposeAsync();

            // What Dendrite wrote as its user is its own; nothing is left to change on the next start.
            await AssertRunsAsClusterUserAndOwnsEveryFileAsync(runtime, prefix, ct, running: false);
            if (!withPostgres)
            {
                await using var third = await DendriteApp.StartAsync(runtime, prefix, settings, ct);
                var log = await OwnershipStepLogAsync(third);
                Assert.Contains(log, l => l.Contains($"Volume ownership: nothing to change; every file on the 6 volumes already belongs to {ClusterUser}", StringComparison.Ordinal));
                Assert.DoesNotContain(log, l => l.Contains("given to", StringComparison.Ordinal));
                Assert.Equal(keyBefore, await runtime.ReadSigningKeyAsync(prefix, LiveEnvironment.DendriteImage, ct));
                var serverKeysThird = await third.Matrix.GetAsync("/_matrix/key/v2/server", null, ct);
                Assert.Equal(serverKeysBefore.Status, serverKeysThird.Status);
                if (serverKeysBefore.Status == HttpStatusCode.OK)
                {
                    Assert.Equal(VerifyKeys(serverKeysBefore.Body), VerifyKeys(serverKeysThird.Body));
                }

                await Conversation.SendAndReceiveAsync(third.Matrix, adminAgain, userAgain, roomId, "after the third start", ct);
            }
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

    /// <summary>Dendrite's cluster user, which it runs as locally too (the published StatefulSet's runAsUser:runAsGroup).</summary>
    private static readonly string ClusterUser = $"{DendriteResource.ClusterUserId}:{DendriteResource.ClusterUserId}";

    private static async Task<List<string>> OwnershipStepLogAsync(DendriteApp app)
    {
        Assert.True(app.App.ResourceNotifications.TryGetCurrentState("dendrite-volume-owner", out var owner), "dendrite-volume-owner is not in the resource list");
        Assert.Equal(0, owner.Snapshot.ExitCode);
        return await StartDiagnostics.LastLinesAsync(app.App.Services.GetRequiredService<ResourceLoggerService>(), owner.ResourceId);
    }

    /// <summary>Dendrite's process runs as the cluster user, and every file on its volumes is that user's (the key still 0400).</summary>
    private static async Task AssertRunsAsClusterUserAndOwnsEveryFileAsync(ContainerRuntime runtime, string prefix, CancellationToken ct, bool running = true)
    {
        if (running)
        {
            var container = await LocalUser.DendriteContainerAsync(runtime, prefix, ct);
            Assert.Equal((DendriteResource.ClusterUserId, DendriteResource.ClusterUserId), await LocalUser.ProcessIdentityAsync(runtime, container, ct));
            var user = await runtime.RunAsync(TimeSpan.FromSeconds(30), ct, "inspect", container, "--format", "{{.Config.User}}");
            Assert.Equal(ClusterUser, user.StandardOutput.Trim());
        }

        var files = await LocalUser.VolumeFilesAsync(runtime, prefix, ct);
        Assert.Contains($"{ClusterUser} 400 ./storage-keys/matrix_key.pem", files);
        Assert.Contains(files, f => f.Contains("./jetstream/", StringComparison.Ordinal));
        Assert.DoesNotContain(files, f => !f.StartsWith(ClusterUser + " ", StringComparison.Ordinal));
    }

    private static string VerifyKeys(JsonElement serverKeys) => serverKeys.GetProperty("verify_keys").GetRawText();

    private static List<string> KeyIds(JsonElement serverKeys) =>
        serverKeys.GetProperty("verify_keys").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
}
