using DendriteAspire.Backup.Archive;
using DendriteAspire.Backup.Runtime;
using Microsoft.Data.Sqlite;

namespace DendriteAspire.Backup.Tests;

/// <summary>
/// <c>backup-mounted</c> and <c>restore-mounted</c> (the cluster's CronJob and restore Job) on claims that are plain
/// directories: a database in WAL mode with a writer holding it open is copied through the online backup API, the
/// archive verifies, and it restores byte for byte onto empty claims; the refusals change nothing.
/// </summary>
public sealed class MountedBackupTests : IDisposable
{
    private readonly Archives _archives = new();

    public void Dispose() => _archives.Dispose();

    private string Root => Path.Combine(_archives.Directory, "v");

    private string Output => Path.Combine(_archives.Directory, "backups");

    [Fact]
    public async Task A_live_wal_database_the_key_media_and_jetstream_go_into_a_verified_scheduled_archive_and_restore_onto_empty_claims()
    {
        using var writer = Server();
        using (var insert = writer.CreateCommand())
        {
            insert.CommandText = "INSERT INTO events (body) VALUES ('in the WAL, not yet checkpointed')";
            insert.ExecuteNonQuery();
        }

        var backup = await MountedBackup.RunAsync(Options(), TestContext.Current.CancellationToken);

        Assert.Matches(@"family\.example-\d{8}-\d{6}Z-scheduled-key\.tar\.zst$", backup.Path);
        Assert.Equal("v0.15.1", backup.Manifest.Release); // the keys claim's record, not the image tag
        Assert.Equal(["roomserver", "syncapi"], backup.Manifest.Migrations.Keys.ToArray());
        Assert.Contains(backup.Manifest.Files, f => f.Path == "volumes/jetstream/jetstream/$G/streams/OutputRoomEvent/msgs/1.blk");
        Assert.DoesNotContain(backup.Manifest.Files, f => f.Path.EndsWith("-wal", StringComparison.Ordinal) || f.Path.EndsWith("-shm", StringComparison.Ordinal));

        var target = Path.Combine(_archives.Directory, "new-cluster");
        foreach (var claim in new[] { "sqlite", "jetstream", "storage-keys", "media" })
        {
            Directory.CreateDirectory(Path.Combine(target, claim));
        }

        var restored = await MountedRestore.RunAsync(new MountedRestoreOptions
        {
            ArchivePath = backup.Path,
            VolumesDirectory = target,
            DendriteImage = "docker.io/matrixdotorg/dendrite-monolith:v0.15.2",
        }, TestContext.Current.CancellationToken);

        Assert.Equal("family.example", restored.ServerName);
        Assert.Equal(File.ReadAllBytes(Path.Combine(Root, "storage-keys", "matrix_key.pem")), File.ReadAllBytes(Path.Combine(target, "storage-keys", "matrix_key.pem")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(Root, "media", "ab", "cd", "file")), File.ReadAllBytes(Path.Combine(target, "media", "ab", "cd", "file")));
        Assert.Equal("v0.15.1\n", File.ReadAllText(Path.Combine(target, "storage-keys", ServerVolumes.ReleaseMarker)));
        using var copy = new SqliteConnection($"Data Source={Path.Combine(target, "sqlite", "roomserver.db")};Mode=ReadOnly;Pooling=False");
        copy.Open();
        using var count = copy.CreateCommand();
        count.CommandText = "SELECT count(*) FROM events";
        Assert.Equal(3L, count.ExecuteScalar());
    }

    [Fact]
    public async Task Restore_refuses_claims_that_hold_data_without_replace_and_a_newer_archive_and_changes_nothing()
    {
        using (Server())
        {
        }

        var backup = await MountedBackup.RunAsync(Options(), TestContext.Current.CancellationToken);
        var key = Path.Combine(Root, "storage-keys", "matrix_key.pem");
        File.WriteAllText(key, "a newer key\n");

        var occupied = await Assert.ThrowsAsync<BackupRefusedException>(() => MountedRestore.RunAsync(new MountedRestoreOptions
        {
            ArchivePath = backup.Path,
            VolumesDirectory = Root,
            DendriteImage = "docker.io/matrixdotorg/dendrite-monolith:v0.15.2",
        }, TestContext.Current.CancellationToken));
        Assert.Contains("not empty", occupied.Message, StringComparison.Ordinal);
        Assert.Contains("--replace", occupied.Message, StringComparison.Ordinal);

        var newer = await Assert.ThrowsAsync<BackupRefusedException>(() => MountedRestore.RunAsync(new MountedRestoreOptions
        {
            ArchivePath = backup.Path,
            VolumesDirectory = Root,
            DendriteImage = "docker.io/matrixdotorg/dendrite-monolith:v0.13.8",
            Replace = true,
        }, TestContext.Current.CancellationToken));
        Assert.Contains("newer than the configured v0.13.8", newer.Message, StringComparison.Ordinal);
        Assert.Equal("a newer key\n", File.ReadAllText(key));

        await MountedRestore.RunAsync(new MountedRestoreOptions
        {
            ArchivePath = backup.Path,
            VolumesDirectory = Root,
            DendriteImage = "docker.io/matrixdotorg/dendrite-monolith:v0.15.2",
            Replace = true,
        }, TestContext.Current.CancellationToken);
        Assert.Equal("-----BEGIN MATRIX PRIVATE KEY-----\nold\n", File.ReadAllText(key));
    }

    [Fact]
    public async Task The_onboarding_claims_invites_and_the_secret_files_go_into_the_archive_and_the_restore_puts_invites_back_group_writable()
    {
        using (Server())
        {
        }

        var onboarding = Directory.CreateDirectory(Path.Combine(Root, "onboarding")).FullName;
        using (var invites = new SqliteConnection($"Data Source={Path.Combine(onboarding, "invites.db")};Pooling=False"))
        {
            invites.Open();
            using var create = invites.CreateCommand();
            create.CommandText = "CREATE TABLE invites (nonce TEXT PRIMARY KEY, user_name TEXT NOT NULL); INSERT INTO invites VALUES ('n1', 'grandma');";
            create.ExecuteNonQuery();
        }

        var secretFiles = Directory.CreateDirectory(Path.Combine(_archives.Directory, "secrets")).FullName;
        File.WriteAllText(Path.Combine(secretFiles, "dendrite-admin-password"), "the admin's password");
        File.WriteAllText(Path.Combine(secretFiles, "onboarding-room-owner-password"), "the room owner's password");
        File.WriteAllText(Path.Combine(secretFiles, "dendrite-metrics-password"), "not one a restore needs");

        var backup = await MountedBackup.RunAsync(Options() with
        {
            OnboardingDirectory = onboarding,
            Secrets = DendriteAspire.Backup.Secrets.AppHostSecrets.ReadDirectory(secretFiles),
        }, TestContext.Current.CancellationToken);

        Assert.Matches(@"-scheduled-key-secrets\.tar\.zst$", backup.Path);
        Assert.True(backup.Manifest.ContainsSecrets);
        Assert.Contains(backup.Manifest.Files, f => f.Path == ArchiveLayout.Invites);
        Assert.Equal(["secrets/dendrite-admin-password", "secrets/onboarding-room-owner-password"],
            backup.Manifest.Files.Select(f => f.Path).Where(p => p.StartsWith("secrets/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray());

        // A restore without --replace refuses an onboarding claim that holds invites.db, and changes nothing.
        File.WriteAllText(Path.Combine(onboarding, "invites.db-journal"), "a journal the old file left");
        var target = Path.Combine(_archives.Directory, "new-cluster");
        foreach (var claim in new[] { "sqlite", "jetstream", "storage-keys", "media" })
        {
            Directory.CreateDirectory(Path.Combine(target, claim));
        }

        var refused = await Assert.ThrowsAsync<BackupRefusedException>(() => MountedRestore.RunAsync(new MountedRestoreOptions
        {
            ArchivePath = backup.Path,
            VolumesDirectory = target,
            OnboardingDirectory = onboarding,
            DendriteImage = "docker.io/matrixdotorg/dendrite-monolith:v0.15.2",
        }, TestContext.Current.CancellationToken));
        Assert.Contains(Path.Combine(onboarding, "invites.db"), refused.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(target, "storage-keys", "matrix_key.pem")));

        File.Delete(Path.Combine(onboarding, "invites.db"));
        await MountedRestore.RunAsync(new MountedRestoreOptions
        {
            ArchivePath = backup.Path,
            VolumesDirectory = target,
            OnboardingDirectory = onboarding,
            DendriteImage = "docker.io/matrixdotorg/dendrite-monolith:v0.15.2",
        }, TestContext.Current.CancellationToken);

        var restored = Path.Combine(onboarding, "invites.db");
        Assert.False(File.Exists(restored + "-journal"));
        Assert.Equal(Array.Empty<string>(), Directory.GetFiles(onboarding).Select(Path.GetFileName).Where(n => n != "invites.db").ToArray());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite, File.GetUnixFileMode(restored));
        }

        using var copy = new SqliteConnection($"Data Source={restored};Mode=ReadOnly;Pooling=False");
        copy.Open();
        using var select = copy.CreateCommand();
        select.CommandText = "SELECT user_name FROM invites WHERE nonce = 'n1'";
        Assert.Equal("grandma", select.ExecuteScalar());
    }

    [Fact]
    public void A_secrets_directory_with_none_of_the_parameters_is_refused_naming_them()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_archives.Directory, "no-secrets")).FullName;
        File.WriteAllText(Path.Combine(empty, "something-else"), "x");
        var refusal = Assert.Throws<BackupRefusedException>(() => DendriteAspire.Backup.Secrets.AppHostSecrets.ReadDirectory(empty));
        Assert.Contains("dendrite-registration-secret", refusal.Message, StringComparison.Ordinal);
        Assert.Throws<BackupRefusedException>(() => DendriteAspire.Backup.Secrets.AppHostSecrets.ReadDirectory(Path.Combine(empty, "missing")));
    }

    [Fact]
    public async Task Without_a_signing_key_on_the_keys_claim_the_backup_is_refused_naming_the_mount()
    {
        Directory.CreateDirectory(Path.Combine(Root, "storage-keys"));
        var refusal = await Assert.ThrowsAsync<BackupRefusedException>(() => MountedBackup.RunAsync(Options(), TestContext.Current.CancellationToken));
        Assert.Contains("mount the storage-keys claim there", refusal.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Output) && Directory.EnumerateFiles(Output).Any());
    }

    private MountedBackupOptions Options() => new()
    {
        VolumesDirectory = Root,
        OutputDirectory = Output,
        ServerName = "family.example",
        DendriteImage = "docker.io/matrixdotorg/dendrite-monolith:v0.15.2",
        KdfIterations = Archives.TestIterations,
    };

    /// <summary>Claims as a running Dendrite leaves them; returns a connection that keeps the roomserver open in WAL mode.</summary>
    private SqliteConnection Server()
    {
        var sqlite = Directory.CreateDirectory(Path.Combine(Root, "sqlite")).FullName;
        var room = new Archives();
        File.Copy(room.Database("roomserver", ("roomserver: initial", "0.15.1")), Path.Combine(sqlite, "roomserver.db"));
        File.Copy(room.Database("syncapi", ("syncapi: initial", "0.15.1")), Path.Combine(sqlite, "syncapi.db"));
        room.Dispose();
        Directory.CreateDirectory(Path.Combine(Root, "storage-keys"));
        File.WriteAllText(Path.Combine(Root, "storage-keys", "matrix_key.pem"), "-----BEGIN MATRIX PRIVATE KEY-----\nold\n");
        File.WriteAllText(Path.Combine(Root, "storage-keys", ServerVolumes.ReleaseMarker), "v0.15.1\n");
        Directory.CreateDirectory(Path.Combine(Root, "media", "ab", "cd"));
        File.WriteAllBytes(Path.Combine(Root, "media", "ab", "cd", "file"), [1, 2, 3, 4]);
        var stream = Directory.CreateDirectory(Path.Combine(Root, "jetstream", "jetstream", "$G", "streams", "OutputRoomEvent", "msgs")).FullName;
        File.WriteAllBytes(Path.Combine(stream, "1.blk"), [9, 9, 9]);

        var connection = new SqliteConnection($"Data Source={Path.Combine(sqlite, "roomserver.db")};Pooling=False");
        connection.Open();
        using var wal = connection.CreateCommand();
        wal.CommandText = "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0;";
        wal.ExecuteNonQuery();
        return connection;
    }
}
