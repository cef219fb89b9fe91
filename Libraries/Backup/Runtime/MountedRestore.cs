using System.Globalization;
using DendriteAspire.Backup.Archive;
using DendriteAspire.Backup.Restore;

namespace DendriteAspire.Backup.Runtime;

/// <summary>What a restore inside a pod writes to: the claims mounted under one directory, and Postgres through the network.</summary>
public sealed record MountedRestoreOptions
{
    /// <summary>The archive.</summary>
    public required string ArchivePath { get; init; }

    /// <summary>Its passphrase, when it is encrypted.</summary>
    public string? Passphrase { get; init; }

    /// <summary>The directory holding one directory per claim (<c>sqlite</c>, <c>jetstream</c>, <c>storage-keys</c>, <c>media</c>).</summary>
    public required string VolumesDirectory { get; init; }

    /// <summary>The configured Dendrite image; an archive from a newer release is refused.</summary>
    public required string DendriteImage { get; init; }

    /// <summary>Postgres mode: where the dump goes (the password comes from <c>PGPASSWORD</c>); the database is created anew.</summary>
    public PostgresTarget? Postgres { get; init; }

    /// <summary>The onboarding service's data directory (its claim): <c>invites.db</c> goes there; null to leave invites out.</summary>
    public string? OnboardingDirectory { get; init; }

    /// <summary>Replace claims that hold data.</summary>
    public bool Replace { get; init; }

    /// <summary>Progress lines.</summary>
    public Action<string> Progress { get; init; } = _ => { };
}

/// <summary>
/// The cluster's restore (a Job with the claims mounted, Dendrite scaled to 0): the archive is verified whole and refused
/// (newer release, claims holding data without <see cref="MountedRestoreOptions.Replace"/>, a dump without
/// <see cref="MountedRestoreOptions.Postgres"/>) before anything is written; then the files go onto the claims, the
/// release record onto the keys claim, <c>invites.db</c> onto the onboarding claim, and a dump into a freshly created database. The roles are not restored: the
/// cluster's Postgres password is its Secret's.
/// </summary>
public static class MountedRestore
{
    /// <summary>Restores; a refusal changes nothing.</summary>
    public static async Task<BackupManifest> RunAsync(MountedRestoreOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Progress($"verifying {Path.GetFileName(options.ArchivePath)}");
        var manifest = (await ArchiveVerifier.VerifyAsync(options.ArchivePath, options.Passphrase, cancellationToken).ConfigureAwait(false)).Manifest;
        RestorePreflight.CheckRelease(manifest, options.DendriteImage);
        var hasDump = manifest.Files.Any(f => f.Path == ArchiveLayout.PostgresDump);
        if (hasDump && options.Postgres is null)
        {
            throw new BackupRefusedException("the archive holds a Postgres dump (a Postgres server): restore it with --postgres-host");
        }

        var volumes = manifest.Files.Select(f => ArchiveLayout.SplitVolumeFile(f.Path)?.Volume).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var root = options.VolumesDirectory;
        var missing = volumes.Where(v => !Directory.Exists(Path.Combine(root, v))).ToList();
        if (missing.Count > 0)
        {
            throw new BackupRefusedException($"no claim mounted at {string.Join(", ", missing.Select(v => Path.Combine(root, v)))}: mount each of {string.Join(", ", volumes)} under {root}");
        }

        var occupied = volumes.Where(v => Directory.EnumerateFileSystemEntries(Path.Combine(root, v)).Any(e => !Path.GetFileName(e).StartsWith("lost+found", StringComparison.Ordinal)))
            .Select(v => Path.Combine(root, v)).ToList();
        if (hasDump && options.Postgres is { } target)
        {
            var tables = await MountedBackup.ToolAsync("psql", ["-h", target.Host, "-U", target.User, "-d", "postgres", "-AtX", "-c",
                $"SELECT count(*) FROM pg_database WHERE datname = '{target.Database.Replace("'", "''", StringComparison.Ordinal)}'"], cancellationToken).ConfigureAwait(false);
            if (tables.Trim() != "0")
            {
                var used = await MountedBackup.ToolAsync("psql", ["-h", target.Host, "-U", target.User, "-d", target.Database, "-AtX", "-c",
                    "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"], cancellationToken).ConfigureAwait(false);
                if (used.Trim() != "0")
                {
                    occupied.Add($"database {target.Database} on {target.Host}");
                }
            }
        }

        var invites = OnboardingInvites.Target(manifest, options.OnboardingDirectory);
        if (invites is not null && File.Exists(invites))
        {
            occupied.Add(invites);
        }

        RestorePreflight.Check(manifest, options.DendriteImage, root, new RestoreTargetState([], occupied), options.Replace);

        foreach (var volume in volumes)
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(Path.Combine(root, volume)).Where(e => !Path.GetFileName(e).StartsWith("lost+found", StringComparison.Ordinal)))
            {
                if (Directory.Exists(entry) && new DirectoryInfo(entry).LinkTarget is null)
                {
                    Directory.Delete(entry, recursive: true);
                }
                else
                {
                    File.Delete(entry);
                }
            }
        }

        options.Progress($"writing {string.Join(", ", volumes)} under {root}");
        if (invites is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(invites)!);
        }

        var dump = Path.Combine(Path.GetTempPath(), $"dendriteaspire-restore-{Guid.NewGuid():N}.dump");
        var invitesCopy = invites is null ? null : Path.Combine(Path.GetDirectoryName(invites)!, $".{OnboardingInvites.FileName}.restoring-{Guid.NewGuid():N}");
        var files = 0;
        try
        {
            await BackupArchiveReader.ReadAsync(options.ArchivePath, options.Passphrase, async (entry, data, ct) =>
            {
                if (ArchiveLayout.SplitVolumeFile(entry.Path) is var (volume, relative))
                {
                    if (!ArchiveLayout.IsSafePath(relative))
                    {
                        throw new BackupRefusedException($"unsafe path in the archive: {entry.Path}");
                    }

                    var target = Path.Combine(root, volume, relative);
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    await using (var file = new FileStream(target, FileMode.CreateNew, FileAccess.Write))
                    {
                        await data.CopyToAsync(file, ct).ConfigureAwait(false);
                    }

                    if (!OperatingSystem.IsWindows())
                    {
                        File.SetUnixFileMode(target, (UnixFileMode)(entry.Mode & 0x1FF));
                    }

                    File.SetLastWriteTimeUtc(target, entry.Modified.UtcDateTime);
                    files++;
                }
                else if (entry.Path == ArchiveLayout.PostgresDump || (entry.Path == ArchiveLayout.Invites && invitesCopy is not null))
                {
                    await using var file = File.Create(entry.Path == ArchiveLayout.PostgresDump ? dump : invitesCopy!);
                    await data.CopyToAsync(file, ct).ConfigureAwait(false);
                }
            }, cancellationToken).ConfigureAwait(false);

            var keys = Path.Combine(root, ServerVolumes.StorageKeys);
            if (Directory.Exists(keys))
            {
                await File.WriteAllTextAsync(Path.Combine(keys, ServerVolumes.ReleaseMarker), manifest.Release + "\n", cancellationToken).ConfigureAwait(false);
            }

            options.Progress(string.Create(CultureInfo.InvariantCulture, $"wrote {files} files"));
            if (invites is not null && invitesCopy is not null && File.Exists(invitesCopy))
            {
                // Group-writable: the onboarding pod shares the claim through its group (fsGroup), not this pod's user.
                OnboardingInvites.Place(invitesCopy, invites, options.Replace, (UnixFileMode)0b110_110_000);
                options.Progress($"onboarding: {invites}");
            }
            else if (manifest.Files.Any(f => f.Path == ArchiveLayout.Invites))
            {
                options.Progress("onboarding: invites.db left out (no --onboarding directory)");
            }

            if (manifest.ContainsSecrets)
            {
                options.Progress("the archive holds the secret parameters; a cluster keeps its own Secrets (see the README to publish a new cluster with the old ones)");
            }
            if (hasDump && options.Postgres is { } pg)
            {
                string[] connection = ["-h", pg.Host, "-U", pg.User];
                options.Progress($"restoring the Postgres dump into database {pg.Database} on {pg.Host} (created anew)");
                await MountedBackup.ToolAsync("psql", [.. connection, "-d", "postgres", "-qX", "-v", "ON_ERROR_STOP=1", "-c", $"DROP DATABASE IF EXISTS \"{pg.Database}\""], cancellationToken)
                    .ConfigureAwait(false);
                await MountedBackup.ToolAsync("pg_restore", [.. connection, "--create", "--exit-on-error", "--no-owner", "--role", pg.User, "-d", "postgres", dump], cancellationToken)
                    .ConfigureAwait(false);
                options.Progress("postgres: restored");
            }

            return manifest;
        }
        finally
        {
            File.Delete(dump);
            if (invitesCopy is not null)
            {
                File.Delete(invitesCopy);
            }
        }
    }
}
