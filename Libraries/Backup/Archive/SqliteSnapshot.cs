using Microsoft.Data.Sqlite;

namespace DendriteAspire.Backup.Archive;

/// <summary>
/// SQLite through its own API: a consistent copy of a live database with the online backup API
/// (<see cref="SqliteConnection.BackupDatabase(SqliteConnection)"/>), an integrity check, and Dendrite's
/// <c>db_migrations</c> rows.
/// </summary>
public static class SqliteSnapshot
{
    /// <summary>
    /// Copies <paramref name="source"/> (with its WAL, if any) into a new single file <paramref name="destination"/>
    /// with SQLite's online backup API, so a database being written is copied consistently.
    /// </summary>
    public static void Copy(string source, string destination)
    {
        using (var from = Open(source, SqliteOpenMode.ReadWrite))
        using (var to = Open(destination, SqliteOpenMode.ReadWriteCreate))
        {
            from.BackupDatabase(to);
        }

        using var clean = Open(destination, SqliteOpenMode.ReadWrite);
        using var mode = clean.CreateCommand();
        // One self-contained file: no -wal beside it in the archive.
        mode.CommandText = "PRAGMA journal_mode=DELETE";
        mode.ExecuteNonQuery();
    }

    /// <summary>Null when <c>PRAGMA quick_check</c> passes, else its first complaint (or why the file does not open).</summary>
    public static string? Check(string path)
    {
        try
        {
            using var connection = Open(path, SqliteOpenMode.ReadOnly);
            using var check = connection.CreateCommand();
            check.CommandText = "PRAGMA quick_check";
            var result = check.ExecuteScalar() as string;
            return result == "ok" ? null : result ?? "no answer to quick_check";
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
        using var exists = connection.CreateCommand();
        exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'db_migrations'";
        if ((long)exists.ExecuteScalar()! == 0)
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

    private static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
