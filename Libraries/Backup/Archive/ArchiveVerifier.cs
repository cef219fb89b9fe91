namespace DendriteAspire.Backup.Archive;

/// <summary>What <see cref="ArchiveVerifier.VerifyAsync"/> found: the manifest, and what it checked.</summary>
public sealed record VerifiedArchive(BackupManifest Manifest, int DatabasesOpened, long ContentBytes);

/// <summary>
/// <c>verify</c>: reads an archive whole (<see cref="BackupArchiveReader"/>: passphrase, chunks, checksums, manifest)
/// and checks that its databases open: every SQLite file passes <c>quick_check</c> and has the <c>db_migrations</c> rows
/// the manifest lists; a Postgres dump starts like one. Touches no server; its scratch files are removed.
/// </summary>
public static class ArchiveVerifier
{
    private static ReadOnlySpan<byte> PgDumpMagic => "PGDMP"u8;

    /// <summary>
    /// A new backup counts only once it reads back whole: verifies the archive just written at <paramref name="path"/>
    /// and deletes it when it does not verify, so no half-good archive is ever kept (or counted by retention).
    /// </summary>
    internal static async Task VerifyNewOrDeleteAsync(string path, string? passphrase, Action<string> progress, CancellationToken cancellationToken)
    {
        progress($"verifying {Path.GetFileName(path)}");
        try
        {
            await VerifyAsync(path, passphrase, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    /// <summary>Verifies the archive at <paramref name="path"/>; throws <see cref="BackupRefusedException"/> with the reason when anything is wrong.</summary>
    public static async Task<VerifiedArchive> VerifyAsync(string path, string? passphrase, CancellationToken cancellationToken)
    {
        var scratch = Directory.CreateTempSubdirectory("dendriteaspire-verify-");
        try
        {
            var databases = new Dictionary<string, string>(StringComparer.Ordinal);
            var dumpProblem = (string?)null;
            long bytes = 0;
            var manifest = await BackupArchiveReader.ReadAsync(path, passphrase, async (entry, data, ct) =>
            {
                bytes += entry.Size;
                if (DatabaseName(entry.Path) is { } name)
                {
                    var local = Path.Combine(scratch.FullName, databases.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".db");
                    await using (var file = File.Create(local))
                    {
                        await data.CopyToAsync(file, ct).ConfigureAwait(false);
                    }

                    databases[name] = local;
                }
                else if (entry.Path == ArchiveLayout.PostgresDump)
                {
                    var head = new byte[5];
                    var got = await data.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
                    if (got < head.Length || !head.AsSpan().SequenceEqual(PgDumpMagic))
                    {
                        dumpProblem = $"{ArchiveLayout.PostgresDump} is not a pg_dump custom-format file";
                    }
                }
            }, cancellationToken).ConfigureAwait(false);

            if (dumpProblem is not null)
            {
                throw new BackupRefusedException(dumpProblem);
            }

            foreach (var (name, local) in databases)
            {
                if (SqliteSnapshot.Check(local) is { } complaint)
                {
                    throw new BackupRefusedException($"the database {name} in the archive does not open cleanly: {complaint}");
                }

                if (manifest.Migrations.TryGetValue(name, out var expected) && !expected.SequenceEqual(SqliteSnapshot.Migrations(local)))
                {
                    throw new BackupRefusedException($"the database {name} has other db_migrations rows than the manifest lists (tampered with?)");
                }
            }

            return new VerifiedArchive(manifest, databases.Count, bytes);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            scratch.Delete(recursive: true);
        }
    }

    /// <summary>The manifest's name for a SQLite file of the archive (<c>roomserver</c>, <c>invites</c>), else null.</summary>
    public static string? DatabaseName(string archivePath)
    {
        ArgumentNullException.ThrowIfNull(archivePath);
        if (archivePath == ArchiveLayout.Invites)
        {
            return "invites";
        }

        return ArchiveLayout.SplitVolumeFile(archivePath) is ("sqlite", var file) && file.EndsWith(".db", StringComparison.Ordinal) && !file.Contains('/', StringComparison.Ordinal)
            ? file[..^3]
            : null;
    }
}
