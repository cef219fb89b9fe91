using System.Diagnostics;
using System.Formats.Tar;
using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Text.Json;
using DendriteAspire.Backup.Archive;

namespace DendriteAspire.Backup.Runtime;

/// <summary>What a finished backup is: where, how big, and what it holds.</summary>
public sealed record BackupResult(string Path, long SizeBytes, BackupManifest Manifest, TimeSpan? Pause, TimeSpan Duration);

/// <summary>
/// Takes one backup of a server on the local container runtime, while it runs, through one-off containers of the
/// Dendrite image (so it works where this process cannot see the volumes' directories):
/// <list type="number">
/// <item>when the caller asks (<see cref="BackupOptions.EnterBackground"/>), the backup keeps out of Dendrite's way from
/// the start (<see cref="BackgroundCpu"/>): the Admin CLI's whole process in the idle CPU and I/O classes, the AppHost's
/// runtime commands there, both on the upper half of the cores; what the pause waits on (the helper container, the
/// <c>psql</c> session, <c>pause</c>, <c>unpause</c>) starts at normal priority;</item>
/// <item>a helper container mounts the volumes read-only;</item>
/// <item>Dendrite is paused (<c>pause</c>, the cgroup freezer) just long enough to copy the SQLite files with any journal
/// beside them and the JetStream store inside the helper, and (Postgres) to open a transaction whose snapshot <c>pg_dump</c> then
/// dumps: one moment for every database and the message bus. The pause is measured and reported;</item>
/// <item>the copies come out as a tar; SQLite opens each copied database (rolling back a journal copied mid-write, folding
/// in a WAL), gives its <c>db_migrations</c>, and the file streams into the archive under that read transaction; media
/// and the signing key stream straight in;</item>
/// <item>the archive is written as <c>.partial</c>, then verified whole (checksums, databases open) before it counts.</item>
/// </list>
/// </summary>
public static class ServerBackup
{
    private static readonly TimeSpan Short = TimeSpan.FromMinutes(1);

    /// <summary>Takes the backup; a refusal or failure leaves no archive behind and Dendrite running.</summary>
    public static async Task<BackupResult> RunAsync(ContainerCli cli, BackupOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cli);
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        using var background = options.EnterBackground?.Invoke();
        if (background is not null)
        {
            options.Progress(background.Describe());
        }

        // What Dendrite's pause waits on starts at normal priority, the rest as the background says.
        var urgent = background is { Problem: null } forPause ? cli.StartingThrough(forPause.StartUrgent) : cli;
        cli = background is { Problem: null } forRest ? cli.StartingThrough(forRest.Start) : cli;
        var prefix = options.VolumePrefix;
        var existing = await VolumeNamesAsync(cli, prefix, cancellationToken).ConfigureAwait(false);
        var keys = ServerVolumes.Name(prefix, ServerVolumes.StorageKeys);
        if (!existing.Contains(keys))
        {
            throw new BackupRefusedException($"there is no volume {keys}: no server with volume prefix '{prefix}' on {cli.Name} (check --volume-prefix)");
        }

        var postgres = existing.Contains(ServerVolumes.Name(prefix, ServerVolumes.PostgresData));
        var volumes = ServerVolumes.Archived.Where(v => existing.Contains(ServerVolumes.Name(prefix, v))).ToList();
        if (postgres)
        {
            // On Postgres the SQLite volume holds nothing Dendrite uses (or the files a migration left behind).
            volumes.Remove(ServerVolumes.Sqlite);
        }

        var dendrite = await RunningContainersAsync(cli, keys, cancellationToken).ConfigureAwait(false);
        var release = await ReleaseAsync(cli, options, dendrite, keys, cancellationToken).ConfigureAwait(false);
        var serverName = options.ServerName ?? await ServerNameAsync(cli, dendrite, cancellationToken).ConfigureAwait(false)
            ?? throw new BackupRefusedException("the server name is unknown (Dendrite is not running): give --server-name");

        Directory.CreateDirectory(options.OutputDirectory);
        var scratch = Directory.CreateTempSubdirectory("dendriteaspire-backup-");
        var helper = $"{prefix}-backup-{RandomNumberGenerator.GetHexString(8, lowercase: true)}";
        TimeSpan? pause = null;
        HelperContainer? container = null;
        try
        {
            var (pipeMount, pipes) = HelperTar.Mount(cli, scratch.FullName);
            string[] mounts = [.. volumes.SelectMany(v => new[] { "-v", $"{ServerVolumes.Name(prefix, v)}:/v/{v}:ro" }), .. pipeMount];
            var frozen = volumes.Where(v => v is ServerVolumes.Sqlite or ServerVolumes.JetStream).ToList();
            container = await HelperContainer.StartAsync(cli, urgent, helper, mounts, options.DendriteImage, frozen, cancellationToken).ConfigureAwait(false);

            // 1) One moment for everything Dendrite writes concurrently: pause, copy, snapshot, resume.
            PostgresSnapshot? snapshot = null;
            try
            {
                if (postgres)
                {
                    var pgContainer = await PostgresContainerAsync(cli, options, prefix, helper, cancellationToken).ConfigureAwait(false);
                    snapshot = await PostgresSnapshot.ConnectAsync(cli, urgent, pgContainer, options, cancellationToken).ConfigureAwait(false);
                }

                options.Progress(dendrite.Count > 0 ? $"pausing dendrite to copy {string.Join(", ", frozen.DefaultIfEmpty("nothing"))}" : "dendrite is not running; copying");
                var paused = Stopwatch.StartNew();
                TimeSpan frozenAt = default, copiedAt = default;
                ExceptionDispatchInfo? failed = null;
                try
                {
                    // Inside: a pause that failed or ran out of time may still take effect, so it is undone all the same.
                    foreach (var id in dendrite)
                    {
                        await urgent.RunAsync(Short, cancellationToken, "pause", id).ConfigureAwait(false);
                    }

                    frozenAt = paused.Elapsed;
                    if (snapshot is not null)
                    {
                        await snapshot.ExportAsync(cancellationToken).ConfigureAwait(false);
                    }

                    await container.CopyAsync(cancellationToken).ConfigureAwait(false);
                    copiedAt = paused.Elapsed;
                }
                catch (Exception e)
                {
                    failed = ExceptionDispatchInfo.Capture(e);
                }

                var stillPaused = new List<string>();
                foreach (var id in dendrite)
                {
                    if (await ResumeAsync(urgent, id).ConfigureAwait(false) is { } problem)
                    {
                        stillPaused.Add(problem);
                    }
                }

                paused.Stop();
                if (stillPaused.Count > 0)
                {
                    // Louder than whatever failed inside the pause: the family's server is frozen until this is read.
                    throw new BackupFailedException($"DENDRITE MAY STILL BE PAUSED: {string.Join("; ", stillPaused)}", failed?.SourceException!);
                }

                failed?.Throw();

                if (dendrite.Count > 0)
                {
                    options.Progress(string.Create(CultureInfo.InvariantCulture,
                        $"pause took {frozenAt.TotalMilliseconds:0} ms, the copy {(copiedAt - frozenAt).TotalMilliseconds:0} ms, resuming {(paused.Elapsed - copiedAt).TotalMilliseconds:0} ms"));
                }

                if (dendrite.Count > 0)
                {
                    pause = paused.Elapsed;
                    options.Progress(string.Create(CultureInfo.InvariantCulture, $"dendrite resumed after {paused.Elapsed.TotalMilliseconds:0} ms"));
                }

                // The volumes come out after the pause (the helper takes no other line before its copy).
                var tar = await HelperTar.ConnectAsync(cli, container, pipes, options.Progress, cancellationToken).ConfigureAwait(false);
                await tar.StepBackAsync(background?.Confinement?.Cores ?? [], options.Progress, cancellationToken).ConfigureAwait(false);

                // 2) The archive.
                var time = DateTimeOffset.UtcNow;
                var draft = new BackupManifest
                {
                    ServerName = serverName,
                    DatabaseProvider = postgres ? "Postgres" : "Sqlite",
                    Release = release,
                    Image = options.DendriteImage,
                    TakenAt = new DateTimeOffset(time.Year, time.Month, time.Day, time.Hour, time.Minute, time.Second, TimeSpan.Zero),
                    Reason = options.Reason,
                    UpgradeFrom = options.UpgradeFrom,
                    ContainsSigningKey = volumes.Contains(ServerVolumes.StorageKeys),
                    ContainsSecrets = options.Secrets is { Count: > 0 },
                    PauseMilliseconds = pause is { } p ? Math.Round(p.TotalMilliseconds, 1) : null,
                };
                var path = Path.Combine(options.OutputDirectory, ArchiveName.For(draft, options.Passphrase is not null));
                var migrations = new SortedDictionary<string, IReadOnlyList<SchemaMigration>>(StringComparer.Ordinal);
                BackupManifest manifest;
                await using (var writer = BackupArchiveWriter.Create(path, options.Passphrase, options.CompressionLevel, options.KdfIterations))
                {
                    // It counts only once it reads back whole: read back from the file while it is written.
                    await using var readBack = ArchiveReadBack.Start(writer, path, options.Passphrase, options.Progress, cancellationToken);
                    await writer.AddBytesAsync(ArchiveLayout.Settings, JsonSerializer.SerializeToUtf8Bytes(new
                    {
                        serverName,
                        databaseProvider = draft.DatabaseProvider,
                        release,
                        image = options.DendriteImage,
                        volumePrefix = prefix,
                    }, BackupManifest.Json), 0b110_100_100, draft.TakenAt, cancellationToken).ConfigureAwait(false);

                    if (frozen.Count > 0)
                    {
                        await AddFrozenAsync(tar, frozen, writer, scratch.FullName, migrations, options, cancellationToken).ConfigureAwait(false);
                    }

                    if (snapshot is not null)
                    {
                        await snapshot.DumpAsync(writer, scratch.FullName, migrations, cancellationToken).ConfigureAwait(false);
                        await snapshot.DisposeAsync().ConfigureAwait(false);
                        snapshot = null;
                    }

                    var live = volumes.Where(v => !frozen.Contains(v)).ToList();
                    if (live.Count > 0)
                    {
                        // Media files are written whole and renamed into place before Dendrite records them, so
                        // copying after the database moment holds every file the databases know.
                        await AddTarAsync(tar, writer, live, "/v", null, options, cancellationToken).ConfigureAwait(false);
                    }

                    await OnboardingInvites.AddAsync(writer, options.OnboardingDataDirectory, scratch.FullName, migrations, options.Progress, cancellationToken).ConfigureAwait(false);
                    await writer.AddSecretsAsync(options.Secrets, draft.TakenAt, cancellationToken).ConfigureAwait(false);

                    manifest = await writer.CompleteAsync(draft with { Migrations = migrations }, cancellationToken).ConfigureAwait(false);
                    await readBack.VerifiedAsync().ConfigureAwait(false);
                }


                return new BackupResult(path, new FileInfo(path).Length, manifest, pause, clock.Elapsed);
            }
            finally
            {
                if (snapshot is not null)
                {
                    await snapshot.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
        finally
        {
            if (container is not null)
            {
                await container.DisposeAsync().ConfigureAwait(false);
            }

            await cli.TryRunAsync(Short, CancellationToken.None, "rm", "-f", helper + "-pg").ConfigureAwait(false);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            ScratchDirectory.Remove(scratch, options.Progress);
        }
    }

    /// <summary>The copies made during the pause: each SQLite file (with a journal or WAL copied beside it folded in), JetStream as it is.</summary>
    private static async Task AddFrozenAsync(HelperTar tar, List<string> frozen, BackupArchiveWriter writer, string scratch,
        SortedDictionary<string, IReadOnlyList<SchemaMigration>> migrations, BackupOptions options, CancellationToken cancellationToken)
    {
        var sqliteDir = Path.Combine(scratch, "sqlite");
        Directory.CreateDirectory(sqliteDir);
        await AddTarAsync(tar, writer, frozen, "/snap", async (volume, relative, data, ct) =>
        {
            if (volume != ServerVolumes.Sqlite)
            {
                return false;
            }

            // The database files (and any -journal/-wal) are staged, then added below as one self-contained file each.
            if (relative.Contains('/', StringComparison.Ordinal))
            {
                return true;
            }

            await using var file = File.Create(Path.Combine(sqliteDir, relative));
            await data.CopyToAsync(file, ct).ConfigureAwait(false);
            return true;
        }, options, cancellationToken).ConfigureAwait(false);

        foreach (var database in Directory.GetFiles(sqliteDir, "*.db").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(database);
            migrations[name] = await SqliteSnapshot.AddAsync(writer, ArchiveLayout.VolumeFile(ServerVolumes.Sqlite, name + ".db"), database, 0b110_100_100, scratch,
                ownCopy: true, cancellationToken).ConfigureAwait(false);
        }

        options.Progress($"sqlite: {migrations.Count} databases");
    }

    /// <summary>
    /// Streams each of <paramref name="volumes"/> from <paramref name="directory"/> in the helper container into the
    /// archive under <c>volumes/</c>, the way <see cref="HelperTar"/> chose for this runtime; <paramref name="divert"/>
    /// may take an entry instead. Uploads still being received (<c>media/tmp</c>) are left out.
    /// </summary>
    private static async Task AddTarAsync(HelperTar tar, BackupArchiveWriter writer, IReadOnlyList<string> volumes, string directory,
        Func<string, string, Stream, CancellationToken, Task<bool>>? divert, BackupOptions options, CancellationToken cancellationToken)
    {
        foreach (var volume in volumes)
        {
            var count = 0;
            await tar.ReadAsync(directory, volume, async (output, ct) =>
            {
                await using var entries = new TarReader(output, leaveOpen: true);
                while (await entries.GetNextEntryAsync(copyData: false, ct).ConfigureAwait(false) is { } entry)
                {
                    if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                    {
                        continue;
                    }

                    var name = entry.Name.TrimStart('.', '/');
                    if (!name.StartsWith(volume + "/", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    var relative = name[(volume.Length + 1)..];
                    if (volume == ServerVolumes.Media && relative.StartsWith(HelperTar.UploadsInProgress + "/", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    var data = entry.DataStream ?? Stream.Null;
                    if (divert is not null && await divert(volume, relative, data, ct).ConfigureAwait(false))
                    {
                        continue;
                    }

                    await writer.AddFileAsync(ArchiveLayout.VolumeFile(volume, relative), data, entry.Length, (int)entry.Mode, entry.ModificationTime, ct).ConfigureAwait(false);
                    count++;
                }
            }, cancellationToken).ConfigureAwait(false);

            if (count > 0)
            {
                options.Progress(string.Create(CultureInfo.InvariantCulture, $"{volume}: {count} files"));
            }
        }
    }

    /// <summary>Unpauses <paramref name="id"/>; null once it runs again, else what to tell the admin.</summary>
    private static async Task<string?> ResumeAsync(ContainerCli cli, string id)
    {
        string why;
        try
        {
            var (code, output, errors) = await cli.TryRunAsync(Short, CancellationToken.None, "unpause", id).ConfigureAwait(false);
            if (code == 0)
            {
                return null;
            }

            // Refused: already running again (someone unpaused it, or it stopped) is fine.
            var (_, state, _) = await cli.TryRunAsync(Short, CancellationToken.None, "inspect", "--format", "{{.State.Paused}}", id).ConfigureAwait(false);
            if (state.Trim() == "false")
            {
                return null;
            }

            why = (errors + output).Trim();
        }
        catch (BackupFailedException e)
        {
            why = e.Message;
        }

        return $"`{cli.Name} unpause {id}` failed ({why}). Resume it with `{cli.Name} unpause {id}`; if that hangs, a command started inside the " +
            "container during the pause holds the runtime (README, Troubleshooting: \"unpause hangs\")";
    }

    internal static async Task<HashSet<string>> VolumeNamesAsync(ContainerCli cli, string prefix, CancellationToken cancellationToken)
    {
        var output = await cli.RunAsync(Short, cancellationToken, "volume", "ls", "--format", "{{.Name}}", "--filter", $"name={prefix}").ConfigureAwait(false);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(v => v.StartsWith(prefix + "-", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
    }

    internal static async Task<IReadOnlyList<string>> RunningContainersAsync(ContainerCli cli, string volume, CancellationToken cancellationToken)
    {
        var output = await cli.RunAsync(Short, cancellationToken, "ps", "--quiet", "--no-trunc", "--filter", $"volume={volume}", "--filter", "status=running")
            .ConfigureAwait(false);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>The release on this data: the running container's image tag, else the release marker, else the configured image's tag.</summary>
    private static async Task<string> ReleaseAsync(ContainerCli cli, BackupOptions options, IReadOnlyList<string> dendrite, string keysVolume, CancellationToken cancellationToken)
    {
        foreach (var id in dendrite)
        {
            var (code, image, _) = await cli.TryRunAsync(Short, cancellationToken, "inspect", "--format", "{{.Config.Image}}", id).ConfigureAwait(false);
            if (code == 0 && TagOf(image.Trim()) is { } tag && DendriteRelease.TryParse(tag, out _))
            {
                return tag;
            }
        }

        var marker = await ReleaseMarker.ReadAsync(cli, keysVolume, options.DendriteImage, cancellationToken).ConfigureAwait(false);
        if (marker is not null)
        {
            return marker;
        }

        return TagOf(options.DendriteImage) is { } configured && DendriteRelease.TryParse(configured, out _)
            ? configured
            : throw new BackupRefusedException($"the Dendrite release is unknown: the image '{options.DendriteImage}' has no release tag such as v0.15.2");
    }

    internal static string? TagOf(string image)
    {
        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') && colon < image.Length - 1 ? image[(colon + 1)..] : null;
    }

    /// <summary><c>global.server_name</c> from the running Dendrite's config; only that line leaves the container.</summary>
    private static async Task<string?> ServerNameAsync(ContainerCli cli, IReadOnlyList<string> dendrite, CancellationToken cancellationToken)
    {
        foreach (var id in dendrite)
        {
            var (code, output, _) = await cli.TryRunAsync(Short, cancellationToken, "exec", id, "sh", "-c",
                "sed -n 's/^  server_name: *//p' /etc/dendrite-config/dendrite.yaml | head -1").ConfigureAwait(false);
            var name = output.Trim().Trim('"', '\'');
            if (code == 0 && name.Length > 0)
            {
                return name;
            }
        }

        return null;
    }

    private static async Task<string> PostgresContainerAsync(ContainerCli cli, BackupOptions options, string prefix, string helper, CancellationToken cancellationToken)
    {
        var data = ServerVolumes.Name(prefix, ServerVolumes.PostgresData);
        var running = await RunningContainersAsync(cli, data, cancellationToken).ConfigureAwait(false);
        if (running.Count > 0)
        {
            return running[0];
        }

        // Not running (the AppHost is stopped): a one-off Postgres on the data volume, removed with the helper's name.
        var name = helper + "-pg";
        await OneOffPostgres.StartAsync(cli, name, data, options.PostgresImage, options.PostgresUser, cancellationToken, options.PostgresPassword).ConfigureAwait(false);
        return name;
    }
}
