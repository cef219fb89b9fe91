using Microsoft.Data.Sqlite;

namespace DendriteAspire.Backup.Archive;

/// <summary>
/// SQLite databases into an archive, consistent while they are written, and the checks an archived database must pass:
/// it opens, and its <c>db_migrations</c> rows are the ones the manifest lists.
/// </summary>
/// <remarks>
/// Dendrite's SQLite files are in rollback-journal mode (its <c>PRAGMA journal_mode=WAL</c> is commented out,
/// <c>roomserver/storage/sqlite3/storage.go</c>): a reader's shared lock keeps every writer from changing the file until
/// the reader is done. So <see cref="AddAsync"/> reads the file itself, under a read transaction, straight into the
/// archive: one consistent state, no scratch copy, and writers held back only while it is compressed. SQLite's online
/// backup API holds them back just as long (it copies under the same lock) and writes the whole file to scratch first,
/// which at a million events cost more than compressing it. A database in WAL mode (where the file alone is not the
/// state a reader sees) still goes through the online backup API.
/// </remarks>
public static class SqliteSnapshot
{
    /// <summary>
    /// Adds the database <paramref name="source"/> to the archive at <paramref name="archivePath"/> as one consistent,
    /// self-contained file, and returns its <c>db_migrations</c> rows, read in the same transaction.
    /// </summary>
    /// <param name="writer">The archive.</param>
    /// <param name="archivePath">Its path in the archive.</param>
    /// <param name="source">The live database (or a copy taken while its writer was paused).</param>
    /// <param name="mode">The entry's file mode.</param>
    /// <param name="scratch">A directory for the online backup API's copy of a database in WAL mode.</param>
    /// <param name="ownCopy">
    /// True when <paramref name="source"/> is this backup's own copy (taken during a pause): it may then be switched out of
    /// WAL mode (which folds a copied WAL into it), and a hot journal copied beside it is rolled back, as SQLite does on open.
    /// </param>
    /// <param name="cancellationToken">Cancels the copy.</param>
    public static async Task<IReadOnlyList<SchemaMigration>> AddAsync(BackupArchiveWriter writer, string archivePath, string source, int mode, string scratch,
        bool ownCopy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var modified = File.GetLastWriteTimeUtc(source);
        using (var connection = Open(source, SqliteOpenMode.ReadWrite))
        {
            var journal = Scalar<string>(connection, ownCopy ? "PRAGMA journal_mode=DELETE" : "PRAGMA journal_mode");
            if (!string.Equals(journal, "wal", StringComparison.OrdinalIgnoreCase))
            {
                // The first read takes the shared lock (rolling back a hot journal first, as any reader would); until the
                // transaction ends no writer can change the file, so its bytes are the state this transaction reads.
                using var transaction = connection.BeginTransaction(deferred: true);
                var migrations = Migrations(connection);
                var length = Scalar<long>(connection, "PRAGMA page_count") * Scalar<long>(connection, "PRAGMA page_size");
                // Closing any descriptor of the file drops this process's POSIX locks on it, SQLite's shared lock
                // included, so the stream is closed only once every byte is in the archive, and the transaction after it.
                var file = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 20);
                await using (file.ConfigureAwait(false))
                {
                    if (file.Length < length)
                    {
                        throw new BackupFailedException($"{source} is shorter ({file.Length} bytes) than its {length} bytes of pages");
                    }

                    await writer.AddFileAsync(archivePath, file, length, mode, modified, cancellationToken).ConfigureAwait(false);
                }

                transaction.Commit();
                return migrations;
            }
        }

        var copy = Path.Combine(scratch, Path.GetFileNameWithoutExtension(source) + ".clean.db");
        Copy(source, copy);
        try
        {
            var rows = Migrations(copy);
            await writer.AddLocalFileAsync(archivePath, copy, mode, cancellationToken).ConfigureAwait(false);
            return rows;
        }
        finally
        {
            File.Delete(copy);
        }
    }

    /// <summary>
    /// Copies <paramref name="source"/> (with its WAL, if any) into a new single file <paramref name="destination"/>
    /// with SQLite's online backup API, so a database being written is copied consistently.
    /// </summary>
    private static void Copy(string source, string destination)
    {
        using (var from = Open(source, SqliteOpenMode.ReadWrite))
        using (var to = Open(destination, SqliteOpenMode.ReadWriteCreate))
        {
            from.BackupDatabase(to);
        }

        using var clean = Open(destination, SqliteOpenMode.ReadWrite);
        // One self-contained file: no -wal beside it in the archive.
        Scalar<string>(clean, "PRAGMA journal_mode=DELETE");
    }

    /// <summary>
    /// Null when the file opens as a SQLite database (its header and schema read); else why not. A full page check
    /// (<c>quick_check</c>) is not needed here: an archived database's bytes are proven by their SHA-256, and they are
    /// the bytes SQLite read in one transaction when the backup was taken.
    /// </summary>
    public static string? Check(string path)
    {
        try
        {
            using var connection = Open(path, SqliteOpenMode.ReadOnly);
            _ = Scalar<long>(connection, "SELECT count(*) FROM sqlite_master");
            return null;
        }
        catch (SqliteException e)
        {
            return e.Message;
        }
    }

    /// <summary>The <c>db_migrations</c> rows, ordered by version; empty when the table does not exist.</summary>
    public static IReadOnlyList<SchemaMigration> Migrations(string path)
    {
        using var connection = Open(path, SqliteOpenMode.ReadOnly);
        return Migrations(connection);
    }

    private static List<SchemaMigration> Migrations(SqliteConnection connection)
    {
        if (Scalar<long>(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'db_migrations'") == 0)
        {
            return [];
        }

        using var select = connection.CreateCommand();
        select.CommandText = "SELECT version, dendrite_version FROM db_migrations ORDER BY version";
        using var reader = select.ExecuteReader();
        var rows = new List<SchemaMigration>();
        while (reader.Read())
        {
            rows.Add(new SchemaMigration(reader.GetString(0), reader.GetString(1)));
        }

        return rows;
    }

    private static T Scalar<T>(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)command.ExecuteScalar()!;
    }

    private static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
