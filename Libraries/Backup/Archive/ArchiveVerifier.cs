using System.Buffers.Binary;
using System.Globalization;

namespace DendriteAspire.Backup.Archive;

/// <summary>What <see cref="ArchiveVerifier.VerifyAsync"/> found: the manifest, and what it checked.</summary>
public sealed record VerifiedArchive(BackupManifest Manifest, int DatabasesOpened, long ContentBytes);

/// <summary>
/// <c>verify</c>: reads an archive whole (<see cref="BackupArchiveReader"/>: passphrase, chunks, checksums, manifest)
/// and checks that its databases open: every SQLite file opens as one and has the <c>db_migrations</c> rows
/// the manifest lists; a Postgres dump starts like one. Touches no server; its scratch files are removed.
/// </summary>
public static class ArchiveVerifier
{
    private static ReadOnlySpan<byte> PgDumpMagic => "PGDMP"u8;

    /// <summary>
    /// The read-back of a new archive (<see cref="ArchiveReadBack"/>): <paramref name="source"/> is the archive as it is
    /// written, read whole and decompressed as by <see cref="VerifyAsync"/>; each file's XxHash3 goes into
    /// <paramref name="contentChecks"/> for the caller to compare with the writer's.
    /// </summary>
    /// <remarks>
    /// Each database is checked in the stream (a SQLite header whose page size and page count give the file's size)
    /// rather than opened from a scratch copy: the backup opened it and read its <c>db_migrations</c> in the very
    /// transaction its bytes were read in (<see cref="SqliteSnapshot.AddAsync"/>), and the check against the writer's
    /// XxHash3 proves the archive holds those bytes. At a million events that saves writing gigabytes to scratch; <c>verify</c> and every restore
    /// still open the databases.
    /// </remarks>
    internal static Task<VerifiedArchive> VerifyReadBackAsync(Stream source, string name, string? passphrase, IDictionary<string, ulong> contentChecks,
        CancellationToken cancellationToken) =>
        VerifyCoreAsync(onFile => BackupArchiveReader.ReadFromAsync(source, name, passphrase, onFile, cancellationToken, contentChecks), openDatabases: false);

    /// <summary>Verifies the archive at <paramref name="path"/>; throws <see cref="BackupRefusedException"/> with the reason when anything is wrong.</summary>
    public static Task<VerifiedArchive> VerifyAsync(string path, string? passphrase, CancellationToken cancellationToken) =>
        VerifyCoreAsync(onFile => BackupArchiveReader.ReadAsync(path, passphrase, onFile, cancellationToken), openDatabases: true);

    private static async Task<VerifiedArchive> VerifyCoreAsync(Func<Func<ArchiveEntry, Stream, CancellationToken, Task>, Task<BackupManifest>> read, bool openDatabases)
    {
        var scratch = Directory.CreateTempSubdirectory("dendriteaspire-verify-");
        try
        {
            var databases = new Dictionary<string, string>(StringComparer.Ordinal);
            var dumpProblem = (string?)null;
            var headerProblem = (string?)null;
            long bytes = 0;
            var manifest = await read(async (entry, data, ct) =>
            {
                bytes += entry.Size;
                if (DatabaseName(entry.Path) is { } name)
                {
                    if (!openDatabases)
                    {
                        if (await SqliteHeaderProblemAsync(entry, data, ct).ConfigureAwait(false) is { } problem)
                        {
                            headerProblem ??= $"the database {name} in the archive is not a whole SQLite file: {problem}";
                        }

                        return;
                    }

                    var local = Path.Combine(scratch.FullName, databases.Count.ToString(CultureInfo.InvariantCulture) + ".db");
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
            }).ConfigureAwait(false);

            if ((dumpProblem ?? headerProblem) is { } problem)
            {
                throw new BackupRefusedException(problem);
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

    /// <summary>
    /// Null when the entry starts with a SQLite header (the format's 16-byte magic) whose page size times page count is
    /// the entry's size; else what is wrong. The rest of the entry is left to the reader, which hashes it.
    /// </summary>
    internal static async Task<string?> SqliteHeaderProblemAsync(ArchiveEntry entry, Stream data, CancellationToken cancellationToken)
    {
        var header = new byte[100];
        if (await data.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false) < header.Length)
        {
            return "shorter than a SQLite header";
        }

        if (!header.AsSpan(0, 16).SequenceEqual("SQLite format 3\0"u8))
        {
            return "no SQLite header";
        }

        var pageSize = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(16, 2)) is var size && size == 1 ? 65536L : size;
        var pages = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(28, 4));
        var changes = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(24, 4));
        var validFor = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(92, 4));
        if (pageSize < 512 || (pageSize & (pageSize - 1)) != 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"page size {pageSize} is not one SQLite writes");
        }

        // The header's page count is SQLite's own only when written by the version that last changed the file (its
        // "valid-for" number equals the change counter); else SQLite itself goes by the file's size.
        return changes == validFor && pages * pageSize != entry.Size
            ? string.Create(CultureInfo.InvariantCulture, $"its header counts {pages} pages of {pageSize} bytes, the archive holds {entry.Size} bytes")
            : entry.Size % pageSize != 0
                ? string.Create(CultureInfo.InvariantCulture, $"{entry.Size} bytes are not whole pages of {pageSize} bytes")
                : null;
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
