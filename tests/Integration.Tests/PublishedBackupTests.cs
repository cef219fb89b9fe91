using System.Net;
using System.Net.Http.Json;
using DendriteAspire.Backup.Archive;
using DendriteAspire.Onboarding.Api;
using k8s.Models;

namespace DendriteAspire.Integration.Tests;

/// <summary>
/// The cluster's backups, run for real under the kubelet-style runner (<see cref="KubeletEmulation"/>), in both
/// database modes: the published Postgres (Postgres mode), Dendrite and onboarding pods and the bootstrap Job serve a
/// family; the published CronJob's pod (the backup image built from <c>Admin/Dockerfile</c>) backs them up while they
/// run, with <c>Backup:Keep=2</c>, <c>Backup:Encrypt</c> and <c>Backup:IncludeSecrets</c>; and the README's restore
/// procedure (Dendrite and onboarding scaled to 0; a Job from the CronJob's template as its <c>jq</c> line makes it;
/// both back to 1) brings back accounts, the room's event ids, the media bytes, the signing key and the invite list,
/// and drops what came after the backup. In Postgres mode the backup is <c>pg_dump -Fc</c> through the Service and the
/// restore <c>pg_restore</c> into the database made anew.
/// </summary>
[Trait("Category", "Live")]
public class PublishedBackupTests(PublishedBackupTests.BackupImageFixture backupImage) : IClassFixture<PublishedBackupTests.BackupImageFixture>
{
    private const string Passphrase = "a family passphrase for the cluster";
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromMinutes(3);

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Published_backup_cronjob_backs_up_the_running_pods_and_the_readme_restore_job_brings_the_family_back(string provider)
    {
        var withPostgres = provider == "Postgres";
        var runtime = await LiveEnvironment.RequireAsync(withPostgres, withElement: true);
        var ct = TestContext.Current.CancellationToken;
        var prefix = VolumePrefix.New(withPostgres ? "bkpg" : "bkpod");
        var image = await backupImage.BuildAsync(runtime, ct);
        var onboardingImage = await OnboardingImage.BuildAsync(runtime, ct);
        var published = await PublishedCluster.PublishAsync(ct, $"--Dendrite:Database:Provider={provider}",
            $"--Dendrite:Kubernetes:Images:dendrite-backup={image}", $"--Dendrite:Kubernetes:Images:Onboarding={onboardingImage}",
            "--Dendrite:Backup:Keep=2", "--Dendrite:Backup:Encrypt=true", "--Dendrite:Backup:IncludeSecrets=true", $"--Parameters:dendrite-backup-passphrase={Passphrase}");
        var dendrite = published.Workload("dendrite");
        var onboarding = published.Deployment("onboarding");
        var main = dendrite.Spec.Template.Spec.Containers.Single();
        var cronJob = Assert.Single(published.Objects.OfType<V1CronJob>());
        var backupPod = cronJob.Spec.JobTemplate.Spec.Template.Spec;
        Assert.Equal(1000, backupPod.SecurityContext.RunAsUser);

        // As `kubectl apply -k` starts them: Postgres, Dendrite, onboarding, the bootstrap Job (the admin, the family room).
        await using var pods = new KubeletEmulation(runtime, prefix);
        foreach (var workload in published.Objects.OfType<V1StatefulSet>().OrderByDescending(s => s.Metadata.Name == "postgres"))
        {
            await pods.StartAsync(workload, published, ct);
        }

        await pods.StartAsync(onboarding, published, ct);
        var jobs = published.Objects.OfType<V1Job>().ToList();
        foreach (var job in jobs)
        {
            await pods.RunJobAsync(job, published, ct);
        }

        await pods.WaitReadyAsync(main, ProbeTimeout, ct);
        await pods.WaitReadyAsync(onboarding.Spec.Template.Spec.Containers.Single(), ProbeTimeout, ct);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{pods.HostPorts[("dendrite", 8008)]}") };
        var matrix = new MatrixClient(http);

        // A family: a user, a room with messages, an upload, an invite for grandma.
        var name = SharedSecretRegistration.NewLocalpart("bkalice");
        var password = $"pw-{Guid.NewGuid():N}";
        (await SharedSecretRegistration.RegisterAsync(matrix, "published-pod-test-secret", name, password, admin: false, ct)).EnsureSuccess("register");
        var alice = await matrix.LoginOrThrowAsync(name, password, ct);
        var room = await matrix.CreatePrivateRoomAsync(alice, "Backups", ct);
        var before = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            before.Add(await matrix.SendTextAsync(alice, room, $"before the backup {i}", ct));
        }

        var media = new byte[256 * 1024];
        Random.Shared.NextBytes(media);
        var mxc = (await matrix.UploadAsync(alice, media, "photo.bin", ct)).EnsureSuccess("upload").GetString("content_uri");
        var key = await SigningKeyAsync(runtime, pods, main.Image, ct);
        var (adminUser, adminPassword) = PublishedPodTests.BootstrapAdmin(published, jobs);
        var admin = await matrix.LoginOrThrowAsync(adminUser, adminPassword, ct);
        await InviteAsync(pods, admin, "grandma", ct);

        // The CronJob's pod, three times while everything runs (Keep=2, encrypted, with the secrets): the oldest goes
        // only once a third verified.
        var archives = new List<string>();
        string backupLog = "";
        for (var run = 0; run < 3; run++)
        {
            (var backupExit, backupLog) = await pods.RunToCompletionAsync($"backup{run}", backupPod, published, ct);
            Assert.True(backupExit == 0, $"backup pod exited {backupExit}:\n{backupLog}");
            Assert.Contains("verified", backupLog, StringComparison.Ordinal);
            Assert.Contains("onboarding: invites.db", backupLog, StringComparison.Ordinal);
            Assert.Contains("holds: the signing key and the secret parameters; encrypted (AES-256-GCM", backupLog, StringComparison.Ordinal);
            if (withPostgres)
            {
                Assert.Contains("postgres: pg_dump", backupLog, StringComparison.Ordinal);
            }

            archives.Add(backupLog.Split('\n').Single(l => l.StartsWith("backup: /backups/", StringComparison.Ordinal))["backup: ".Length..].Split(' ')[0]);
            Assert.Matches(@"^/backups/family\.example-\d{8}-\d{6}Z-scheduled-key-secrets\.tar\.zst\.enc$", archives[^1]);
            await Task.Delay(TimeSpan.FromSeconds(1.1), ct); // names are to the second
        }

        Assert.Contains($"removed: {archives[0]}", backupLog, StringComparison.Ordinal);
        var kept = await ListBackupsAsync(runtime, pods, image, ct);
        Assert.Equal(archives.Skip(1).Select(a => Path.GetFileName(a)).Order(StringComparer.Ordinal).ToArray(), kept);
        var archive = archives[^1];
        await AssertSecretsAsync(runtime, pods, image, archive, published, withPostgres, ct);
        var after = await matrix.SendTextAsync(alice, room, "after the backup", ct);
        await InviteAsync(pods, admin, "grandpa", ct);

        // The README's restore: Dendrite and onboarding to 0, the restore Job from the CronJob's template, both back to 1.
        await pods.StopAsync(dendrite);
        await pods.StopAsync(onboarding);
        var restorePod = RestoreJobPod(backupPod, archive);
        var (restoreExit, restoreLog) = await pods.RunToCompletionAsync("restore", restorePod, published, ct);
        Assert.True(restoreExit == 0, $"restore pod exited {restoreExit}:\n{restoreLog}");
        Assert.Contains($"restored: family.example ({provider}, Dendrite v0.15.2", restoreLog, StringComparison.Ordinal);
        Assert.Contains("onboarding: /v/onboarding/invites.db", restoreLog, StringComparison.Ordinal);
        Assert.Equal(["grandma"], await InvitedAsync(runtime, pods, image, ct));

        await pods.StartAsync(dendrite, published, ct);
        await pods.StartAsync(onboarding, published, ct);
        await pods.WaitReadyAsync(main, ProbeTimeout, ct);
        await pods.WaitReadyAsync(onboarding.Spec.Template.Spec.Containers.Single(), ProbeTimeout, ct);
        using var restartedHttp = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{pods.HostPorts[("dendrite", 8008)]}") }; // a new pod, a new port
        matrix = new MatrixClient(restartedHttp);
        var again = await matrix.LoginOrThrowAsync(name, password, ct);
        var events = (await matrix.GetMessagesAsync(again, room, ct)).EnumerateArray()
            .Where(e => e.GetProperty("type").GetString() == "m.room.message")
            .Select(e => e.GetProperty("event_id").GetString()!).Reverse().ToList();
        Assert.Equal(before, events);
        Assert.DoesNotContain(after, events);
        var (status, downloaded) = await matrix.DownloadAsync(again, mxc, ct);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(media, downloaded);
        Assert.Equal(key, await SigningKeyAsync(runtime, pods, main.Image, ct));
        await matrix.SendTextAsync(again, room, "after the restore", ct);

        // The onboarding pod writes the restored invite list (its group owns it), with the old admin's password.
        admin = await matrix.LoginOrThrowAsync(adminUser, adminPassword, ct);
        await InviteAsync(pods, admin, "uncle", ct);
    }

    /// <summary>
    /// The README's restore Job, made from the CronJob's pod the way its <c>jq</c> line does: <c>restore-mounted</c>
    /// with <c>--replace</c> (and the backup's onboarding, Postgres and passphrase arguments), the claims writable, no
    /// secrets volume (a restore needs none), and no pod affinity (Dendrite is scaled to 0).
    /// </summary>
    internal static V1PodSpec RestoreJobPod(V1PodSpec backupPod, string archive)
    {
        var pod = k8s.KubernetesJson.Deserialize<V1PodSpec>(k8s.KubernetesJson.Serialize(backupPod));
        pod.Affinity = null;
        pod.Volumes = [.. pod.Volumes.Where(v => v.Name != "secrets")];
        foreach (var claim in pod.Volumes.Select(v => v.PersistentVolumeClaim).OfType<V1PersistentVolumeClaimVolumeSource>())
        {
            claim.ReadOnlyProperty = null;
        }

        var container = pod.Containers.Single();
        var image = container.Args[container.Args.IndexOf("--image") + 1];
        // Everything after --keep N: the onboarding claim, the Postgres connection and the passphrase file, as the backup had them.
        container.Args = ["restore-mounted", archive, "--volumes", "/v", "--replace", "--image", image, .. container.Args.Skip(container.Args.IndexOf("--keep") + 2)];
        container.VolumeMounts = [.. container.VolumeMounts.Where(m => m.Name != "secrets")];
        foreach (var mount in container.VolumeMounts.Where(m => m.MountPath.StartsWith("/v/", StringComparison.Ordinal)))
        {
            mount.ReadOnlyProperty = false;
        }

        return pod;
    }

    /// <summary>An invite link from the onboarding Service, as the family admin.</summary>
    private static async Task InviteAsync(KubeletEmulation pods, MatrixSession admin, string userName, CancellationToken ct)
    {
        using var api = new HttpClient { BaseAddress = pods.ServiceUrl("onboarding") };
        using var request = new HttpRequestMessage(HttpMethod.Post, InviteRequest.Path) { Content = JsonContent.Create(new InviteRequest(userName, null, 24)) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", admin.AccessToken);
        using var created = await api.SendAsync(request, ct);
        Assert.True(created.StatusCode == HttpStatusCode.Created,
            $"POST {InviteRequest.Path} for {userName}: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync(ct)}\n{await pods.LogTailAsync("onboarding")}");
    }

    /// <summary>The user names in <c>invites.db</c> on the onboarding claim.</summary>
    private static async Task<string[]> InvitedAsync(ContainerRuntime runtime, KubeletEmulation pods, string image, CancellationToken ct)
    {
        var copy = await CopyOutAsync(runtime, pods.VolumeOfClaim("onboarding-data"), "invites.db", image, ct);
        try
        {
            return [.. InvitesDatabase.UserNames(copy)];
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(copy)!, recursive: true);
        }
    }

    /// <summary>The archive holds each secret parameter the publish put into the Secrets, with the Secret's value.</summary>
    private static async Task AssertSecretsAsync(ContainerRuntime runtime, KubeletEmulation pods, string image, string archive, PublishedCluster published,
        bool withPostgres, CancellationToken ct)
    {
        var copy = await CopyOutAsync(runtime, pods.VolumeOfClaim("dendrite-backups"), Path.GetFileName(archive), image, ct);
        try
        {
            var secrets = new SortedDictionary<string, string>(StringComparer.Ordinal);
            await BackupArchiveReader.ReadAsync(copy, Passphrase, async (entry, data, token) =>
            {
                if (entry.Path.StartsWith(ArchiveLayout.SecretsDirectory, StringComparison.Ordinal))
                {
                    using var reader = new StreamReader(data);
                    secrets[entry.Path[ArchiveLayout.SecretsDirectory.Length..]] = await reader.ReadToEndAsync(token);
                }
            }, ct);
            var expected = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["dendrite-admin-password"] = published.Secrets["dendrite-admin"]["password"],
                ["dendrite-registration-secret"] = "published-pod-test-secret",
                ["onboarding-invite-secret"] = published.Secrets["onboarding-env"]["Onboarding__InviteSecret"],
                ["onboarding-room-owner-password"] = published.Secrets["onboarding-env"]["Onboarding__RoomOwnerPassword"],
            };
            if (withPostgres)
            {
                expected["postgres-password"] = "published pod/test:pass";
            }

            Assert.Equal(expected, secrets);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(copy)!, recursive: true);
        }
    }

    /// <summary>A file from a claim's volume into a fresh directory on this machine.</summary>
    private static async Task<string> CopyOutAsync(ContainerRuntime runtime, string volume, string file, string image, CancellationToken ct)
    {
        var directory = Directory.CreateTempSubdirectory("dendrite-backup-copy-").FullName;
        var result = await runtime.RunAsync(TimeSpan.FromMinutes(1), ct, "run", "--rm", "--user", "0:0", "--entrypoint", "/bin/cp",
            "-v", $"{volume}:/from:ro", "-v", $"{directory}:/to", image, $"/from/{file}", "/to/");
        Assert.True(result.Succeeded, $"copying {file} out of {volume} failed: {result.FirstErrorLine}");
        return Path.Combine(directory, file);
    }

    private static async Task<string[]> ListBackupsAsync(ContainerRuntime runtime, KubeletEmulation pods, string image, CancellationToken ct)
    {
        var result = await runtime.RunAsync(TimeSpan.FromMinutes(1), ct, "run", "--rm", "--user", "1000:1000", "--entrypoint", "/bin/ls",
            "-v", $"{pods.VolumeOfClaim("dendrite-backups")}:/backups:ro", image, "/backups");
        Assert.True(result.Succeeded, $"listing the backups claim failed: {result.FirstErrorLine}");
        return [.. result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal)];
    }

    /// <summary>The signing key on the keys claim (without federation Dendrite serves no <c>/_matrix/key/v2/server</c> on 8008).</summary>
    private static async Task<string> SigningKeyAsync(ContainerRuntime runtime, KubeletEmulation pods, string image, CancellationToken ct)
    {
        var result = await runtime.RunAsync(TimeSpan.FromMinutes(1), ct, "run", "--rm", "--user", "1000:1000", "--entrypoint", "/bin/sh",
            "-v", $"{pods.ClaimVolume("dendrite", "storage-keys")}:/k:ro", image, "-c", "cat /k/matrix_key.pem");
        Assert.True(result.Succeeded, $"reading the signing key failed: {result.FirstErrorLine}");
        Assert.Contains("MATRIX PRIVATE KEY", result.StandardOutput, StringComparison.Ordinal);
        return result.StandardOutput;
    }

    /// <summary>The backup image, built once for both database modes (a few minutes each time) and removed after them.</summary>
    public sealed class BackupImageFixture : IAsyncDisposable
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private BackupImage? _image;

        public async Task<string> BuildAsync(ContainerRuntime runtime, CancellationToken ct)
        {
            await _gate.WaitAsync(ct);
            try
            {
                _image ??= await BackupImage.BuildAsync(runtime, VolumePrefix.New("bkimage"), ct);
                return _image.Name;
            }
            finally
            {
                _gate.Release();
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_image is not null)
            {
                await _image.DisposeAsync();
            }

            _gate.Dispose();
        }
    }
}
