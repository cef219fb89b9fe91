using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DendriteAspire.Backup.Archive;

namespace DendriteAspire.Backup.Runtime;

/// <summary>Where a backup inside a pod finds the server: its claims mounted under one directory, and Postgres through the network.</summary>
public sealed record MountedBackupOptions
{
    /// <summary>The directory holding one directory per claim, named like the volumes: <c>sqlite</c>, <c>jetstream</c>, <c>storage-keys</c>, <c>media</c>.</summary>
    public required string VolumesDirectory { get; init; }

    /// <summary>The directory the archive goes into (the <c>backups</c> claim).</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>A directory for the SQLite and JetStream copies before they go into the archive.</summary>
    public string? ScratchDirectory { get; init; }

    /// <summary>The server name (baked into every user id).</summary>
    public required string ServerName { get; init; }

    /// <summary>The configured Dendrite image; its tag is the release when the keys volume records none.</summary>
    public required string DendriteImage { get; init; }

    /// <summary>Postgres mode: the host (the Service), user and database; the password comes from <c>PGPASSWORD</c>. Null for SQLite.</summary>
    public PostgresTarget? Postgres { get; init; }

    /// <summary>The onboarding service's data directory (its claim), whose <c>invites.db</c> is backed up; null to leave it out.</summary>
    public string? OnboardingDirectory { get; init; }

    /// <summary>Secret parameter values to include (only when asked for: <c>Backup:IncludeSecrets</c>); null for none.</summary>
    public IReadOnlyDictionary<string, string>? Secrets { get; init; }

    /// <summary>The passphrase; null for an unencrypted archive.</summary>
    public string? Passphrase { get; init; }

    /// <summary>Why the backup is taken (<see cref="BackupReasons"/>).</summary>
    public string Reason { get; init; } = BackupReasons.Scheduled;

    /// <summary>zstd level.</summary>
    public int CompressionLevel { get; init; } = 3;

    /// <summary>PBKDF2 iterations (tests lower it).</summary>
    public int KdfIterations { get; init; } = Crypto.ArchiveEncryption.DefaultIterations;

    /// <summary>Progress lines; never a secret.</summary>
    public Action<string> Progress { get; init; } = _ => { };
}

/// <summary>A Postgres server reached over the network with its own client tools (<c>pg_dump</c>, <c>psql</c>, <c>pg_restore</c>).</summary>
/// <param name="Host">The host, e.g. the <c>postgres</c> Service.</param>
/// <param name="User">The user.</param>
/// <param name="Database">The database (<c>dendrite</c>).</param>
public sealed record PostgresTarget(string Host, string User, string Database);

/// <summary>
/// A backup taken where the server's claims are mounted directories (the cluster's CronJob), with no container runtime
/// to pause Dendrite. The same archive as <see cref="ServerBackup"/>, taken this way:
/// <list type="number">
/// <item>SQLite: each component database straight from the live file on the claim into the archive, under a read
/// transaction (<see cref="SqliteSnapshot.AddAsync"/>: one consistent state of that file while Dendrite keeps running;
/// its writes wait for that file's read). SQLite's locks on the claim work between the pods of one node, so the pod runs
/// on the node that runs Dendrite (pod affinity);</item>
/// <item>in producer-to-consumer order: <c>roomserver</c> first (the moment of the backup), then the JetStream store, then the
/// components that consume its streams. An event the roomserver had committed is then either still queued in the
/// copied stream or already in its consumer's copy; nothing committed before the moment is lost to <c>/sync</c>;</item>
/// <item>Postgres: <c>pg_dump -Fc</c> against the Service (one snapshot of the whole database), then JetStream;</item>
/// <item>the signing key and the media as they are (media files are written whole and renamed into place);</item>
/// <item>the onboarding service's <c>invites.db</c> (its claim) the same way, and, only when asked,
/// the secret parameters (files of the published Secrets);</item>
/// <item>written as <c>.partial</c>, then verified whole before it counts.</item>
/// </list>
/// </summary>
public static class MountedBackup
{
    /// <summary>Components that only produce into JetStream's output streams, or hold nothing a stream feeds: taken before the store.</summary>
    private static readonly string[] BeforeStreams = ["roomserver"];

    /// <summary>Takes the backup; a failure leaves no archive behind.</summary>
    public static async Task<BackupResult> RunAsync(MountedBackupOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        var root = options.VolumesDirectory;
        var keys = Path.Combine(root, ServerVolumes.StorageKeys);
        if (!File.Exists(Path.Combine(keys, ServerVolumes.SigningKey)))
        {
            throw new BackupRefusedException($"there is no signing key at {Path.Combine(keys, ServerVolumes.SigningKey)}: mount the storage-keys claim there");
        }

        var release = ReleaseOf(keys, options.DendriteImage);
        Directory.CreateDirectory(options.OutputDirectory);
        var scratch = options.ScratchDirectory is { } s ? Directory.CreateDirectory(Path.Combine(s, $"backup-{Guid.NewGuid():N}")) : Directory.CreateTempSubdirectory("dendriteaspire-backup-");
        try
        {
            var migrations = new SortedDictionary<string, IReadOnlyList<SchemaMigration>>(StringComparer.Ordinal);
            var sqlite = Path.Combine(root, ServerVolumes.Sqlite);
            var databases = options.Postgres is null && Directory.Exists(sqlite)
                ? Directory.GetFiles(sqlite, "*.db").Select(p => Path.GetFileNameWithoutExtension(p)).Order(StringComparer.Ordinal).ToList()
                : [];
            var time = DateTimeOffset.UtcNow;
            var draft = new BackupManifest
            {
                ServerName = options.ServerName,
                DatabaseProvider = options.Postgres is null ? "Sqlite" : "Postgres",
                Release = release,
                Image = options.DendriteImage,
                TakenAt = new DateTimeOffset(time.Year, time.Month, time.Day, time.Hour, time.Minute, time.Second, TimeSpan.Zero),
                Reason = options.Reason,
                ContainsSigningKey = true,
                ContainsSecrets = options.Secrets is { Count: > 0 },
            };
            var path = Path.Combine(options.OutputDirectory, ArchiveName.For(draft, options.Passphrase is not null));
            BackupManifest manifest;
            await using (var writer = BackupArchiveWriter.Create(path, options.Passphrase, options.CompressionLevel, options.KdfIterations))
            {
                // It counts only once it reads back whole: read back from the file while it is written.
                await using var readBack = ArchiveReadBack.Start(writer, path, options.Passphrase, options.Progress, cancellationToken);
                await writer.AddBytesAsync(ArchiveLayout.Settings, JsonSerializer.SerializeToUtf8Bytes(new
                {
                    serverName = options.ServerName,
                    databaseProvider = draft.DatabaseProvider,
                    release,
                    image = options.DendriteImage,
                }, BackupManifest.Json), 0b110_100_100, draft.TakenAt, cancellationToken).ConfigureAwait(false);

                // 1) The moment: the roomserver (or the whole Postgres database), then the queue, then its consumers.
                //    Each SQLite file goes into the archive under its own read transaction (SqliteSnapshot).
                foreach (var name in databases.Where(d => BeforeStreams.Contains(d)))
                {
                    migrations[name] = await AddDatabaseAsync(writer, sqlite, name, scratch.FullName, cancellationToken).ConfigureAwait(false);
                }

                if (options.Postgres is { } pg)
                {
                    var (dump, roles) = await DumpPostgresAsync(pg, scratch.FullName, migrations, options, cancellationToken).ConfigureAwait(false);
                    await writer.AddLocalFileAsync(ArchiveLayout.PostgresDump, dump, 0b110_000_000, cancellationToken).ConfigureAwait(false);
                    await writer.AddLocalFileAsync(ArchiveLayout.PostgresRoles, roles, 0b110_000_000, cancellationToken).ConfigureAwait(false);
                }

                var jetstream = Path.Combine(root, ServerVolumes.JetStream);
                var jetstreamCopy = Path.Combine(scratch.FullName, ServerVolumes.JetStream);
                if (Directory.Exists(jetstream))
                {
                    CopyDirectory(jetstream, jetstreamCopy);
                }

                await AddDirectoryAsync(writer, ServerVolumes.JetStream, jetstreamCopy, options, cancellationToken).ConfigureAwait(false);
                foreach (var name in databases.Where(d => !BeforeStreams.Contains(d)))
                {
                    migrations[name] = await AddDatabaseAsync(writer, sqlite, name, scratch.FullName, cancellationToken).ConfigureAwait(false);
                }

                if (databases.Count > 0)
                {
                    options.Progress(string.Create(CultureInfo.InvariantCulture, $"sqlite: {databases.Count} databases (each under a read transaction)"));
                }

                // 2) What needs no ordering.
                await AddDirectoryAsync(writer, ServerVolumes.StorageKeys, keys, options, cancellationToken).ConfigureAwait(false);
                await AddDirectoryAsync(writer, ServerVolumes.Media, Path.Combine(root, ServerVolumes.Media), options, cancellationToken).ConfigureAwait(false);
                await OnboardingInvites.AddAsync(writer, options.OnboardingDirectory, scratch.FullName, migrations, options.Progress, cancellationToken).ConfigureAwait(false);
                await writer.AddSecretsAsync(options.Secrets, draft.TakenAt, cancellationToken).ConfigureAwait(false);
                manifest = await writer.CompleteAsync(draft with { Migrations = migrations }, cancellationToken).ConfigureAwait(false);
                await readBack.VerifiedAsync().ConfigureAwait(false);
            }


            return new BackupResult(path, new FileInfo(path).Length, manifest, null, clock.Elapsed);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            ScratchDirectory.Remove(scratch, options.Progress);
        }
    }

    /// <summary>The release on the data (the keys volume's record), else the configured image's tag.</summary>
    internal static string ReleaseOf(string keysDirectory, string image)
    {
        var marker = Path.Combine(keysDirectory, ServerVolumes.ReleaseMarker);
        if (File.Exists(marker) && DendriteRelease.TryParse(File.ReadAllText(marker).Trim(), out var recorded))
        {
            return DendriteRelease.Tag(recorded);
        }

        return ServerBackup.TagOf(image) is { } tag && DendriteRelease.TryParse(tag, out var configured)
            ? DendriteRelease.Tag(configured)
            : throw new BackupRefusedException($"the Dendrite release is unknown: the image '{image}' has no release tag such as v0.15.2");
    }

    private static Task<IReadOnlyList<SchemaMigration>> AddDatabaseAsync(BackupArchiveWriter writer, string directory, string name, string scratch,
        CancellationToken cancellationToken) =>
        SqliteSnapshot.AddAsync(writer, ArchiveLayout.VolumeFile(ServerVolumes.Sqlite, name + ".db"), Path.Combine(directory, name + ".db"), 0b110_100_100, scratch,
            ownCopy: false, cancellationToken);

    private static async Task<(string Dump, string Roles)> DumpPostgresAsync(PostgresTarget pg, string scratch, SortedDictionary<string, IReadOnlyList<SchemaMigration>> migrations,
        MountedBackupOptions options, CancellationToken cancellationToken)
    {
        var dump = Path.Combine(scratch, "dendrite.dump");
        var roles = Path.Combine(scratch, "roles.sql");
        string[] connection = ["-h", pg.Host, "-U", pg.User];
        await ToolAsync("pg_dump", [.. connection, "-Fc", "--lock-wait-timeout=60000", "-f", dump, pg.Database], cancellationToken).ConfigureAwait(false);
        File.WriteAllText(roles, await ToolAsync("pg_dumpall", [.. connection, "--roles-only"], cancellationToken).ConfigureAwait(false));
        var rows = await ToolAsync("psql", [.. connection, "-d", pg.Database, "-AtX", "-F", "\t", "-c",
            "SELECT version, dendrite_version FROM db_migrations ORDER BY version"], cancellationToken).ConfigureAwait(false);
        migrations["postgres"] = [.. rows.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('\t')).Where(p => p.Length == 2)
            .Select(p => new SchemaMigration(p[0], p[1]))];
        options.Progress(string.Create(CultureInfo.InvariantCulture, $"postgres: pg_dump {new FileInfo(dump).Length} bytes from {pg.Host}"));
        return (dump, roles);
    }

    /// <summary>Runs a Postgres client tool; its standard output, or <see cref="BackupFailedException"/> with its last lines.</summary>
    internal static async Task<string> ToolAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new BackupFailedException($"{tool} did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            var tail = string.Join('\n', (await error.ConfigureAwait(false)).Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(10));
            throw new BackupFailedException(string.Create(CultureInfo.InvariantCulture, $"{tool} exited {process.ExitCode}:\n{tail}"));
        }

        return await output.ConfigureAwait(false);
    }

    /// <summary>A copy of a directory that changes while it is copied (JetStream): files that vanish meanwhile are skipped.</summary>
    private static void CopyDirectory(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            try
            {
                File.Copy(file, target);
            }
            catch (FileNotFoundException)
            {
                // A message block or consumer file removed by NATS meanwhile: the store no longer needs it.
            }
        }
    }

    private static async Task AddDirectoryAsync(BackupArchiveWriter writer, string volume, string directory, MountedBackupOptions options, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }

        var count = 0;
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var info = new FileInfo(file);
            if (info.LinkTarget is not null || info.Name.StartsWith("..", StringComparison.Ordinal))
            {
                continue; // links (a Secret-style mount's ..data) are not the server's files
            }

            FileStream stream;
            try
            {
                stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 20);
            }
            catch (FileNotFoundException)
            {
                continue;
            }

            await using (stream.ConfigureAwait(false))
            {
                var mode = OperatingSystem.IsWindows() ? 0b110_100_100 : (int)File.GetUnixFileMode(file);
                await writer.AddFileAsync(ArchiveLayout.VolumeFile(volume, Path.GetRelativePath(directory, file).Replace('\\', '/')), stream, stream.Length, mode,
                    info.LastWriteTimeUtc, cancellationToken).ConfigureAwait(false);
            }

            count++;
        }

        options.Progress(string.Create(CultureInfo.InvariantCulture, $"{volume}: {count} files"));
    }
}
