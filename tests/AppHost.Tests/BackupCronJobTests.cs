using DendriteAspire.Hosting;
using DendriteAspire.Hosting.Kubernetes;
using k8s.Models;

namespace DendriteAspire.AppHost.Tests;

/// <summary>
/// The cluster's scheduled backups come from the same <c>Dendrite:Backup</c> settings as the local run: the CronJob's
/// schedule from <c>Every</c>, its retention from <c>Keep</c>, none with <c>off</c>, and an interval no cron expresses is
/// refused before anything is written. The pod reads Dendrite's claims as Dendrite's user, beside Dendrite's pod.
/// </summary>
public class BackupCronJobTests
{
    [Theory]
    [InlineData("15m", "*/15 * * * *")]
    [InlineData("30m", "*/30 * * * *")]
    [InlineData("1h", "17 */1 * * *")]
    [InlineData("6h", "17 */6 * * *")]
    [InlineData("24h", "17 3 * * *")]
    [InlineData("1d", "17 3 * * *")]
    [InlineData("7d", "17 3 * * 0")]
    [InlineData("168h", "17 3 * * 0")]
    [InlineData("2d", null)]
    [InlineData("45m", null)]
    [InlineData("90m", null)]
    [InlineData("5h", null)]
    public void Every_becomes_a_cron_schedule_only_when_one_expresses_it_exactly(string every, string? schedule) =>
        Assert.Equal(schedule, BackupCronJob.Schedule(BackupSettings.ParseInterval(every)!.Value));

    [Fact]
    public async Task Sqlite_cronjob_runs_backup_mounted_as_dendrite_beside_its_pod_with_the_settings_schedule_and_keep()
    {
        var output = await PublishedManifests.PublishAsync("--Dendrite:Backup:Every=6h", "--Dendrite:Backup:Keep=3",
            "--Dendrite:Kubernetes:Images:dendrite-backup=registry.home.lan/dendrite-aspire-admin:0.1.0", "--Dendrite:Kubernetes:VolumeSizes:backups=20Gi");
        var cronJob = output.Named<V1CronJob>("dendrite-backup");
        Assert.Equal("17 */6 * * *", cronJob.Spec.Schedule);
        Assert.Equal("Forbid", cronJob.Spec.ConcurrencyPolicy);
        var pod = cronJob.Spec.JobTemplate.Spec.Template.Spec;
        var container = Assert.Single(pod.Containers);
        Assert.Equal("registry.home.lan/dendrite-aspire-admin:0.1.0", container.Image);
        Assert.Equal("backup-mounted", container.Args[0]);
        Assert.Equal("3", container.Args[container.Args.IndexOf("--keep") + 1]);
        Assert.Equal(Publishing.ServerName, container.Args[container.Args.IndexOf("--server-name") + 1]);
        Assert.DoesNotContain("--postgres-host", container.Args);

        // Dendrite's user and group, so the files it reads and writes are Dendrite's; restricted like every pod.
        Assert.Equal(1000, pod.SecurityContext.RunAsUser);
        Assert.Equal(1000, pod.SecurityContext.FsGroup);
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);

        // SQLite's online backup needs the WAL index: the sqlite claim writable, on Dendrite's node.
        var mounts = container.VolumeMounts.ToDictionary(m => m.MountPath);
        Assert.Null(mounts["/v/sqlite"].ReadOnlyProperty);
        Assert.True(mounts["/v/media"].ReadOnlyProperty);
        Assert.True(mounts["/v/storage-keys"].ReadOnlyProperty);
        Assert.True(mounts["/v/jetstream"].ReadOnlyProperty);
        Assert.Equal("sqlite-dendrite-0", pod.Volumes.Single(v => v.Name == "sqlite").PersistentVolumeClaim.ClaimName);
        Assert.Equal("dendrite-backups", pod.Volumes.Single(v => v.Name == "backups").PersistentVolumeClaim.ClaimName);
        var affinity = pod.Affinity.PodAffinity.RequiredDuringSchedulingIgnoredDuringExecution;
        Assert.All(affinity, a => Assert.Equal("kubernetes.io/hostname", a.TopologyKey));
        Assert.Equal(["dendrite", "onboarding"], affinity.Select(a => a.LabelSelector.MatchLabels["app.kubernetes.io/name"]).ToArray());
        Assert.Equal("20Gi", output.Named<V1PersistentVolumeClaim>("dendrite-backups").Spec.Resources.Requests["storage"].ToString());
    }

    [Fact]
    public async Task The_cronjob_reads_the_onboarding_claim_read_only_as_a_member_of_onboardings_group_on_the_node_onboarding_shares_with_dendrite()
    {
        var output = await PublishedManifests.PublishAsync();
        var pod = output.Named<V1CronJob>("dendrite-backup").Spec.JobTemplate.Spec.Template.Spec;
        var container = pod.Containers.Single();
        var onboarding = output.Named<V1Deployment>("onboarding").Spec.Template.Spec;

        // The claim the onboarding Deployment writes invites.db to, read-only for the volume (the kubelet then leaves
        // its group alone), as a member of the group onboarding runs as.
        var claim = onboarding.Volumes.Single(v => v.PersistentVolumeClaim is not null).PersistentVolumeClaim.ClaimName;
        var volume = pod.Volumes.Single(v => v.PersistentVolumeClaim?.ClaimName == claim);
        Assert.True(volume.PersistentVolumeClaim.ReadOnlyProperty);
        Assert.True(container.VolumeMounts.Single(m => m.Name == volume.Name).ReadOnlyProperty);
        Assert.Equal("/v/onboarding", container.VolumeMounts.Single(m => m.Name == volume.Name).MountPath);
        Assert.Equal([onboarding.SecurityContext.FsGroup!.Value], pod.SecurityContext.SupplementalGroups);
        Assert.Equal(1000, pod.SecurityContext.FsGroup);

        // "--onboarding" comes after "--keep N", where the README's restore Job keeps the arguments from.
        Assert.Equal(["--onboarding", "/v/onboarding"], container.Args.Skip(container.Args.IndexOf("--keep") + 2).Take(2).ToArray());

        // Onboarding runs on Dendrite's node, so one pod can mount both ReadWriteOnce claims.
        var beside = Assert.Single(onboarding.Affinity.PodAffinity.RequiredDuringSchedulingIgnoredDuringExecution);
        Assert.Equal(("dendrite", "kubernetes.io/hostname"), (beside.LabelSelector.MatchLabels["app.kubernetes.io/name"], beside.TopologyKey));

        // No secrets unless asked.
        Assert.DoesNotContain("--secrets", container.Args);
        Assert.DoesNotContain(pod.Volumes, v => v.Projected is not null);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task IncludeSecrets_mounts_each_secret_parameter_from_the_secret_that_holds_it_as_a_file_named_after_it(string provider)
    {
        var output = await PublishedManifests.PublishAsync("--Dendrite:Backup:IncludeSecrets=true", $"--Dendrite:Database:Provider={provider}");
        var pod = output.Named<V1CronJob>("dendrite-backup").Spec.JobTemplate.Spec.Template.Spec;
        var container = pod.Containers.Single();
        var directory = container.Args[container.Args.IndexOf("--secrets") + 1];
        Assert.True(container.Args.IndexOf("--secrets") < container.Args.IndexOf("--keep"), "the restore Job keeps what comes after --keep; it needs no secrets");
        var mount = container.VolumeMounts.Single(m => m.MountPath == directory);
        Assert.True(mount.ReadOnlyProperty);
        var projected = pod.Volumes.Single(v => v.Name == mount.Name).Projected;
        Assert.Equal(0b100_100_000, projected.DefaultMode);

        // Each file's content is the parameter's value, taken from a Secret the publish already writes.
        var files = projected.Sources.SelectMany(s => s.Secret.Items.Select(i => (File: i.Path, Value: output.Named<V1Secret>(s.Secret.Name).StringData[i.Key])))
            .ToDictionary(f => f.File, f => f.Value);
        var expected = new Dictionary<string, string>
        {
            ["dendrite-admin-password"] = Publishing.AdminPassword,
            ["dendrite-registration-secret"] = Publishing.RegistrationSecret,
            ["onboarding-invite-secret"] = Publishing.InviteSecret,
            ["onboarding-room-owner-password"] = Publishing.RoomOwnerPassword,
        };
        if (provider == "Postgres")
        {
            expected["postgres-password"] = Publishing.PostgresPassword;
        }

        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), files.OrderBy(e => e.Key, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Postgres_cronjob_dumps_through_the_service_with_the_password_from_its_secret_and_leaves_the_sqlite_claim_alone()
    {
        var output = await PublishedManifests.PublishAsync("--Dendrite:Database:Provider=Postgres");
        var container = output.Named<V1CronJob>("dendrite-backup").Spec.JobTemplate.Spec.Template.Spec.Containers.Single();
        Assert.Equal("postgres", container.Args[container.Args.IndexOf("--postgres-host") + 1]);
        var password = container.Env.Single(e => e.Name == "PGPASSWORD").ValueFrom.SecretKeyRef;
        Assert.Equal(("postgres-env", "POSTGRES_PASSWORD"), (password.Name, password.Key));
        Assert.Contains(output.Named<V1Secret>("postgres-env").StringData.Keys, k => k == "POSTGRES_PASSWORD");
        Assert.DoesNotContain(container.VolumeMounts, m => m.MountPath == "/v/sqlite");
    }

    [Fact]
    public async Task Every_off_publishes_no_cronjob_and_no_backups_claim()
    {
        var output = await PublishedManifests.PublishAsync("--Dendrite:Backup:Every=off");
        Assert.Empty(output.All<V1CronJob>());
        Assert.DoesNotContain(output.All<V1PersistentVolumeClaim>(), c => c.Metadata.Name == "dendrite-backups");
    }

    [Fact]
    public async Task An_interval_no_cron_expresses_is_refused_naming_the_key_and_nothing_is_written()
    {
        var directory = Publishing.NewOutputDirectory();
        var error = await Record.ExceptionAsync(() => Publishing.KubernetesAsync(directory, "--Dendrite:Backup:Every=45m"));
        while (error is AggregateException { InnerExceptions.Count: 1 } aggregate)
        {
            error = aggregate.InnerExceptions[0];
        }

        var refused = Assert.IsType<DendriteSettingsException>(error);
        Assert.Contains("Dendrite:Backup:Every", refused.Message, StringComparison.Ordinal);
        Assert.Contains("45m cannot be a cluster's cron schedule", refused.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(directory) && Directory.EnumerateFiles(directory).Any());
    }

    [Fact]
    public async Task Encrypt_puts_the_passphrase_parameter_in_a_secret_of_its_own_that_the_cronjob_reads_as_a_file()
    {
        const string Passphrase = "correct horse battery staple";
        var output = await PublishedManifests.PublishAsync("--Dendrite:Backup:Encrypt=true", $"--Parameters:dendrite-backup-passphrase={Passphrase}");
        Assert.Equal(Passphrase, output.Named<V1Secret>("dendrite-backup").StringData["passphrase"]);
        var pod = output.Named<V1CronJob>("dendrite-backup").Spec.JobTemplate.Spec.Template.Spec;
        var container = pod.Containers.Single();
        Assert.Equal("/var/run/dendrite-backup/passphrase", container.Args[container.Args.IndexOf("--passphrase-file") + 1]);
        Assert.Equal("dendrite-backup", pod.Volumes.Single(v => v.Name == "passphrase").Secret.SecretName);
        Assert.Equal(0b100_100_000, pod.Volumes.Single(v => v.Name == "passphrase").Secret.DefaultMode);
        foreach (var (file, text) in output.Files.Where(f => f.Key != "dendrite-backup-secret.yaml"))
        {
            Assert.DoesNotContain(Passphrase, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Encrypt_with_a_short_passphrase_is_refused_at_publish()
    {
        var directory = Publishing.NewOutputDirectory();
        bool? succeeded = null;
        try
        {
            (succeeded, _) = await Publishing.KubernetesAsync(directory, "--Dendrite:Backup:Encrypt=true", "--Parameters:dendrite-backup-passphrase=short");
        }
        catch (Exception e) when (e is not Xunit.Sdk.IAssertionException)
        {
            // A refused publish may surface as the run's exception; either way nothing is written.
        }

        Assert.NotEqual(true, succeeded);
        Assert.False(Directory.Exists(directory) && Directory.EnumerateFiles(directory, "*.yaml").Any());
    }

    [Fact]
    public async Task The_statefulset_runs_the_release_guard_first_on_the_keys_claim_with_dendrites_image()
    {
        var output = await PublishedManifests.PublishAsync();
        var pod = output.Named<V1StatefulSet>("dendrite").Spec.Template.Spec;
        var guard = pod.InitContainers[0];
        Assert.Equal("dendrite-release-guard", guard.Name);
        Assert.Equal(pod.Containers.Single().Image, guard.Image);
        Assert.Equal(("storage-keys", "/var/dendrite/storage-keys"), (guard.VolumeMounts.Single().Name, guard.VolumeMounts.Single().MountPath));
        Assert.Contains("configured=v0.15.2", guard.Command[2], StringComparison.Ordinal);
        Assert.Contains("exit 2", guard.Command[2], StringComparison.Ordinal);
        Assert.True(guard.SecurityContext.ReadOnlyRootFilesystem);
        Assert.Equal("dendrite-keygen", pod.InitContainers[1].Name);
    }
}
