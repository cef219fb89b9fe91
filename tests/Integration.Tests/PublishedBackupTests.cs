using k8s.Models;

namespace DendriteAspire.Integration.Tests;

/// <summary>
/// The cluster's backups, run for real under the kubelet-style runner (<see cref="KubeletEmulation"/>): the published
/// Dendrite pod serves a family, the published CronJob's pod (the backup image built from <c>Admin/Dockerfile</c>)
/// backs it up while it runs, and the README's restore procedure (Dendrite scaled to 0; a Job from the CronJob's
/// template running <c>restore-mounted --replace</c> without the pod affinity; Dendrite back to 1) brings back
/// accounts, messages, media and the signing key, and drops what came after the backup. SQLite mode (the Postgres
/// path is the same command with <c>--postgres-host</c>; its pg_dump/pg_restore run in the local drill).
/// </summary>
[Trait("Category", "Live")]
public class PublishedBackupTests
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Published_backup_cronjob_backs_up_a_running_pod_and_the_readme_restore_job_brings_the_family_back()
    {
        var runtime = await LiveEnvironment.RequireAsync(withPostgres: false);
        var ct = TestContext.Current.CancellationToken;
        var prefix = VolumePrefix.New("bkpod");
        await using var image = await BackupImage.BuildAsync(runtime, prefix, ct);
        var published = await PublishedCluster.PublishAsync(ct, $"--Dendrite:Kubernetes:Images:dendrite-backup={image.Name}", "--Dendrite:Backup:Keep=2",
            "--Dendrite:Backup:Encrypt=true", "--Parameters:dendrite-backup-passphrase=a family passphrase for the cluster");
        var dendrite = published.Workload("dendrite");
        var main = dendrite.Spec.Template.Spec.Containers.Single();
        var cronJob = Assert.Single(published.Objects.OfType<V1CronJob>());
        var backupPod = cronJob.Spec.JobTemplate.Spec.Template.Spec;
        Assert.Equal(1000, backupPod.SecurityContext.RunAsUser);

        await using var pods = new KubeletEmulation(runtime, prefix);
        await pods.StartAsync(dendrite, published, ct);
        await pods.WaitReadyAsync(main, ProbeTimeout, ct);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{pods.HostPorts[("dendrite", 8008)]}") };
        var matrix = new MatrixClient(http);

        // A family: a user, a room with messages, an upload.
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

        // The CronJob's pod, three times while Dendrite runs (Keep=2, encrypted): the oldest goes only once a third verified.
        var archives = new List<string>();
        string backupLog = "";
        for (var run = 0; run < 3; run++)
        {
            (var backupExit, backupLog) = await pods.RunToCompletionAsync($"backup{run}", backupPod, published, ct);
            Assert.True(backupExit == 0, $"backup pod exited {backupExit}:\n{backupLog}");
            Assert.Contains("verified", backupLog, StringComparison.Ordinal);
            Assert.Contains("encrypted (AES-256-GCM", backupLog, StringComparison.Ordinal);
            archives.Add(backupLog.Split('\n').Single(l => l.StartsWith("backup: /backups/", StringComparison.Ordinal))["backup: ".Length..].Split(' ')[0]);
            Assert.Matches(@"^/backups/family\.example-\d{8}-\d{6}Z-scheduled-key\.tar\.zst\.enc$", archives[^1]);
            await Task.Delay(TimeSpan.FromSeconds(1.1), ct); // names are to the second
        }

        Assert.Contains($"removed: {archives[0]}", backupLog, StringComparison.Ordinal);
        var kept = await ListBackupsAsync(runtime, pods, image.Name, ct);
        Assert.Equal(archives.Skip(1).Select(a => Path.GetFileName(a)).Order(StringComparer.Ordinal).ToArray(), kept);
        var archive = archives[^1];
        var after = await matrix.SendTextAsync(alice, room, "after the backup", ct);

        // The README's restore: Dendrite to 0, the restore Job from the CronJob's template, Dendrite to 1.
        await pods.StopAsync(dendrite);
        var restorePod = RestoreJobPod(backupPod, archive);
        var (restoreExit, restoreLog) = await pods.RunToCompletionAsync("restore", restorePod, published, ct);
        Assert.True(restoreExit == 0, $"restore pod exited {restoreExit}:\n{restoreLog}");
        Assert.Contains("restored: family.example (Sqlite, Dendrite v0.15.2", restoreLog, StringComparison.Ordinal);

        await pods.StartAsync(dendrite, published, ct);
        await pods.WaitReadyAsync(main, ProbeTimeout, ct);
        using var restartedHttp = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{pods.HostPorts[("dendrite", 8008)]}") }; // a new pod, a new port
        matrix = new MatrixClient(restartedHttp);
        var again = await matrix.LoginOrThrowAsync(name, password, ct);
        var events = (await matrix.GetMessagesAsync(again, room, ct)).EnumerateArray()
            .Where(e => e.GetProperty("type").GetString() == "m.room.message")
            .Select(e => e.GetProperty("event_id").GetString()!).Reverse().ToList();
        Assert.Equal(before, events);
        Assert.DoesNotContain(after, events);
        var (status, downloaded) = await matrix.DownloadAsync(again, mxc, ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        Assert.Equal(media, downloaded);
        Assert.Equal(key, await SigningKeyAsync(runtime, pods, main.Image, ct));
        await matrix.SendTextAsync(again, room, "after the restore", ct);
    }

    /// <summary>
    /// The README's restore Job, made from the CronJob's pod the way its <c>jq</c> line does: <c>restore-mounted</c>
    /// with <c>--replace</c> (and the backup's Postgres and passphrase arguments), the claims writable, and no pod
    /// affinity (Dendrite is scaled to 0).
    /// </summary>
    internal static V1PodSpec RestoreJobPod(V1PodSpec backupPod, string archive)
    {
        var pod = k8s.KubernetesJson.Deserialize<V1PodSpec>(k8s.KubernetesJson.Serialize(backupPod));
        pod.Affinity = null;
        var container = pod.Containers.Single();
        var image = container.Args[container.Args.IndexOf("--image") + 1];
        // Everything after --keep N: the Postgres connection and the passphrase file, as the backup had them.
        container.Args = ["restore-mounted", archive, "--volumes", "/v", "--image", image, "--replace", .. container.Args.Skip(container.Args.IndexOf("--keep") + 2)];
        foreach (var mount in container.VolumeMounts.Where(m => m.MountPath.StartsWith("/v/", StringComparison.Ordinal)))
        {
            mount.ReadOnlyProperty = false;
        }

        return pod;
    }

    /// <summary>The signing key on the keys claim (without federation Dendrite serves no <c>/_matrix/key/v2/server</c> on 8008).</summary>
    private static async Task<string[]> ListBackupsAsync(ContainerRuntime runtime, KubeletEmulation pods, string image, CancellationToken ct)
    {
        var result = await runtime.RunAsync(TimeSpan.FromMinutes(1), ct, "run", "--rm", "--user", "1000:1000", "--entrypoint", "/bin/ls",
            "-v", $"{pods.VolumeOfClaim("dendrite-backups")}:/backups:ro", image, "/backups");
        Assert.True(result.Succeeded, $"listing the backups claim failed: {result.FirstErrorLine}");
        return [.. result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal)];
    }

    private static async Task<string> SigningKeyAsync(ContainerRuntime runtime, KubeletEmulation pods, string image, CancellationToken ct)
    {
        var result = await runtime.RunAsync(TimeSpan.FromMinutes(1), ct, "run", "--rm", "--user", "1000:1000", "--entrypoint", "/bin/sh",
            "-v", $"{pods.ClaimVolume("dendrite", "storage-keys")}:/k:ro", image, "-c", "cat /k/matrix_key.pem");
        Assert.True(result.Succeeded, $"reading the signing key failed: {result.FirstErrorLine}");
        Assert.Contains("MATRIX PRIVATE KEY", result.StandardOutput, StringComparison.Ordinal);
        return result.StandardOutput;
    }
}
