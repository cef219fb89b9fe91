using System.Formats.Tar;
using System.Globalization;
using System.Security.Cryptography;
using DendriteAspire.Backup.Archive;
using DendriteAspire.Backup.Restore;

namespace DendriteAspire.Backup.Runtime;

/// <summary>What to restore, and onto which server.</summary>
public sealed record RestoreOptions
{
    /// <summary>The archive to restore.</summary>
    public required string ArchivePath { get; init; }

    /// <summary>Its passphrase, when it is encrypted.</summary>
    public string? Passphrase { get; init; }

    /// <summary>The volume prefix to restore onto (another one than the archive's is fine: a second machine).</summary>
    public required string VolumePrefix { get; init; }

    /// <summary>The configured Dendrite image; its tag is the release the data will run on (an archive from a newer one is refused).</summary>
    public required string DendriteImage { get; init; }

    /// <summary>The Postgres image for the one-off container that restores a dump.</summary>
    public string PostgresImage { get; init; } = "docker.io/library/postgres:18.3";

    /// <summary>The Postgres superuser.</summary>
    public string PostgresUser { get; init; } = "postgres";

    /// <summary>Where the onboarding service keeps <c>invites.db</c>; null to leave invites out.</summary>
    public string? OnboardingDataDirectory { get; init; }

    /// <summary>Replace volumes that hold data; without it only empty or missing volumes are written.</summary>
    public bool Replace { get; init; }

    /// <summary>Progress lines; never a secret.</summary>
    public Action<string> Progress { get; init; } = _ => { };
}

/// <summary>What a restore did.</summary>
public sealed record RestoreResult(BackupManifest Manifest, IReadOnlyList<string> Volumes, IReadOnlyDictionary<string, string> Secrets);

/// <summary>
/// <c>restore</c>: reads the archive whole first (every check of <see cref="ArchiveVerifier"/>), refuses an archive from a
/// newer Dendrite than the configured one, a server that is running, and volumes that hold data (unless
/// <see cref="RestoreOptions.Replace"/>) — all before anything is written. Then it reads the archive a second time,
/// streaming the volumes' files into one one-off container, and restores a Postgres dump into a fresh data volume
/// (roles first, so the old password works again).
/// </summary>
public static class ServerRestore
{
    private static readonly TimeSpan Short = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Long = TimeSpan.FromHours(6);

    /// <summary>Restores; a refusal changes nothing.</summary>
    public static async Task<RestoreResult> RunAsync(ContainerCli cli, RestoreOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cli);
        ArgumentNullException.ThrowIfNull(options);

        // 1) Everything is checked before anything is written.
        options.Progress($"verifying {Path.GetFileName(options.ArchivePath)}");
        var verified = await ArchiveVerifier.VerifyAsync(options.ArchivePath, options.Passphrase, cancellationToken).ConfigureAwait(false);
        var manifest = verified.Manifest;
        RestorePreflight.CheckRelease(manifest, options.DendriteImage);

        var prefix = options.VolumePrefix;
        var volumes = manifest.Files.Select(f => ArchiveLayout.SplitVolumeFile(f.Path)?.Volume).OfType<string>()
            .Distinct(StringComparer.Ordinal).ToList();
        if (!volumes.Contains(ServerVolumes.StorageKeys))
        {
            volumes.Add(ServerVolumes.StorageKeys);
        }

        var hasDump = manifest.Files.Any(f => f.Path == ArchiveLayout.PostgresDump);
        var targets = volumes.Append(ServerVolumes.SearchIndex).Concat(hasDump ? [ServerVolumes.PostgresData] : []).ToList();
        var existing = await ServerBackup.VolumeNamesAsync(cli, prefix, cancellationToken).ConfigureAwait(false);
        var inUse = new List<string>();
        foreach (var volume in targets.Where(v => existing.Contains(ServerVolumes.Name(prefix, v))))
        {
            if ((await ServerBackup.RunningContainersAsync(cli, ServerVolumes.Name(prefix, volume), cancellationToken).ConfigureAwait(false)).Count > 0)
            {
                inUse.Add(ServerVolumes.Name(prefix, volume));
            }
        }

        var occupied = inUse.Count > 0 ? [] : await OccupiedAsync(cli, prefix, targets.Where(v => existing.Contains(ServerVolumes.Name(prefix, v))).ToList(), options.DendriteImage, cancellationToken)
            .ConfigureAwait(false);
        var invites = OnboardingInvites.Target(manifest, options.OnboardingDataDirectory);
        if (invites is not null && File.Exists(invites))
        {
            occupied.Add(invites);
        }

        RestorePreflight.Check(manifest, options.DendriteImage, prefix, new RestoreTargetState(inUse, occupied), options.Replace);

        // 2) Write: volumes (one container, one tar stream), then Postgres, then the invites, then the release marker.
        var scratch = Directory.CreateTempSubdirectory("dendriteaspire-restore-");
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            foreach (var volume in targets.Where(v => !existing.Contains(ServerVolumes.Name(prefix, v))))
            {
                await cli.RunAsync(Short, cancellationToken, "volume", "create", ServerVolumes.Name(prefix, volume)).ConfigureAwait(false);
            }

            var clear = options.Replace
                ? string.Join(" && ", targets.Where(v => v != ServerVolumes.PostgresData).Select(v => $"find /t/{v} -mindepth 1 -delete")) + " && "
                : "";
            string[] mounts = [.. targets.Where(v => v != ServerVolumes.PostgresData).SelectMany(v => new[] { "-v", $"{ServerVolumes.Name(prefix, v)}:/t/{v}" })];
            options.Progress($"writing {string.Join(", ", volumes.Select(v => ServerVolumes.Name(prefix, v)))}");
            var dump = Path.Combine(scratch.FullName, "dendrite.dump");
            var roles = Path.Combine(scratch.FullName, "roles.sql");
            var invitesCopy = Path.Combine(scratch.FullName, "invites.db");
            await cli.WriteInputAsync(Long, async (stdin, ct) =>
            {
                await using var tar = new TarWriter(stdin, TarEntryFormat.Pax, leaveOpen: true);
                await BackupArchiveReader.ReadAsync(options.ArchivePath, options.Passphrase, async (entry, data, ct2) =>
                {
                    if (ArchiveLayout.SplitVolumeFile(entry.Path) is var (volume, path))
                    {
                        await using var counted = new HashingStream(data, entry.Size);
                        await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, $"{volume}/{path}")
                        {
                            DataStream = counted,
                            Mode = (UnixFileMode)(entry.Mode & 0xFFF),
                            ModificationTime = entry.Modified,
                        }, ct2).ConfigureAwait(false);
                    }
                    else if (entry.Path is ArchiveLayout.PostgresDump or ArchiveLayout.PostgresRoles or ArchiveLayout.Invites)
                    {
                        var local = entry.Path switch { ArchiveLayout.PostgresDump => dump, ArchiveLayout.PostgresRoles => roles, _ => invitesCopy };
                        await using var file = File.Create(local);
                        await data.CopyToAsync(file, ct2).ConfigureAwait(false);
                    }
                    else if (entry.Path.StartsWith(ArchiveLayout.SecretsDirectory, StringComparison.Ordinal))
                    {
                        using var reader = new StreamReader(data);
                        secrets[entry.Path[ArchiveLayout.SecretsDirectory.Length..]] = await reader.ReadToEndAsync(ct2).ConfigureAwait(false);
                    }
                }, ct).ConfigureAwait(false);
            }, cancellationToken, ["run", "--rm", "-i", "--entrypoint", "sh", .. mounts, options.DendriteImage, "-c",
                $"set -e; {clear}tar -xpf - --no-same-owner -C /t && printf '%s\\n' '{manifest.Release}' > /t/{ServerVolumes.StorageKeys}/{ServerVolumes.ReleaseMarker}"])
                .ConfigureAwait(false);

            if (hasDump)
            {
                await RestorePostgresAsync(cli, options, dump, roles, cancellationToken).ConfigureAwait(false);
            }

            if (invites is not null && File.Exists(invitesCopy))
            {
                OnboardingInvites.Place(invitesCopy, invites, options.Replace, mode: null);
                options.Progress($"onboarding: {invites}");
            }

            return new RestoreResult(manifest, targets.Select(v => ServerVolumes.Name(prefix, v)).ToList(), secrets);
        }
        finally
        {
            ScratchDirectory.Remove(scratch, options.Progress);
        }
    }

    /// <summary>The target volumes that hold anything.</summary>
    private static async Task<List<string>> OccupiedAsync(ContainerCli cli, string prefix, List<string> volumes, string image, CancellationToken cancellationToken)
    {
        if (volumes.Count == 0)
        {
            return [];
        }

        string[] mounts = [.. volumes.SelectMany(v => new[] { "-v", $"{ServerVolumes.Name(prefix, v)}:/t/{v}:ro" })];
        var output = await cli.RunAsync(Short, cancellationToken, ["run", "--rm", "--entrypoint", "sh", .. mounts, image, "-c",
            "for d in /t/*; do [ -z \"$(ls -A \"$d\")\" ] || echo \"${d#/t/}\"; done"]).ConfigureAwait(false);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => ServerVolumes.Name(prefix, v)).ToList();
    }

    private static async Task RestorePostgresAsync(ContainerCli cli, RestoreOptions options, string dump, string roles, CancellationToken cancellationToken)
    {
        var volume = ServerVolumes.Name(options.VolumePrefix, ServerVolumes.PostgresData);
        var name = $"{options.VolumePrefix}-restore-{RandomNumberGenerator.GetHexString(8, lowercase: true)}";
        if (options.Replace)
        {
            await cli.RunAsync(Short, cancellationToken, "run", "--rm", "--entrypoint", "sh", "-v", $"{volume}:/t", options.DendriteImage, "-c", "find /t -mindepth 1 -delete")
                .ConfigureAwait(false);
        }

        options.Progress($"restoring the Postgres dump into {volume}");
        try
        {
            await OneOffPostgres.StartAsync(cli, name, volume, options.PostgresImage, options.PostgresUser, cancellationToken).ConfigureAwait(false);
            await cli.WriteInputAsync(Long, async (stdin, ct) =>
            {
                await using var file = File.OpenRead(dump);
                await file.CopyToAsync(stdin, ct).ConfigureAwait(false);
            }, cancellationToken, PostgresExec.Command(name, true, "pg_restore", "--create", "--exit-on-error", "-U", options.PostgresUser, "-d", "postgres")).ConfigureAwait(false);
            if (File.Exists(roles))
            {
                // Last (after it the password is the old one): "role postgres already exists" is expected; ALTER ROLE brings back the old password hash.
                await cli.WriteInputAsync(Short, async (stdin, ct) =>
                {
                    await using var file = File.OpenRead(roles);
                    await file.CopyToAsync(stdin, ct).ConfigureAwait(false);
                }, cancellationToken, PostgresExec.Command(name, true, "psql", "-qX", "-U", options.PostgresUser, "-d", "postgres", "-f", "-")).ConfigureAwait(false);
            }

            await cli.RunAsync(Short, cancellationToken, "stop", "-t", "60", name).ConfigureAwait(false);
        }
        finally
        {
            await cli.TryRunAsync(Short, CancellationToken.None, "rm", "-f", name).ConfigureAwait(false);
        }

        options.Progress(string.Create(CultureInfo.InvariantCulture, $"postgres: restored {new FileInfo(dump).Length} bytes of dump"));
    }
}
