using Microsoft.Data.Sqlite;

namespace DendriteAspire.Migration.Source;

/// <summary>
/// One of Dendrite's component databases (<c>roomserver.db</c>, ...), opened <b>read-only</b>: SQLite is asked for
/// <see cref="SqliteOpenMode.ReadOnly"/>, so no statement of this tool can change the file.
/// </summary>
public sealed class SqliteComponentDatabase : IDisposable
{
    private readonly SqliteConnection connection;

    private SqliteComponentDatabase(string component, string path, SqliteConnection connection)
    {
        Component = component;
        Path = path;
        this.connection = connection;
    }

    /// <summary>The component name (<c>roomserver</c>), as in <c>SqliteDatabases</c>.</summary>
    public string Component { get; }

    public string Path { get; }

    public static SqliteComponentDatabase Open(string component, string path)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        return new SqliteComponentDatabase(component, path, connection);
    }

    /// <summary>Every user table of the file (SQLite's own <c>sqlite_*</c> tables excluded), with its columns.</summary>
    public IReadOnlyList<SqliteTable> ReadTables()
    {
        var names = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                names.Add(reader.GetString(0));
            }
        }

        var tables = new List<SqliteTable>();
        foreach (var name in names)
        {
            var columns = new List<SqliteColumn>();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT name, type FROM pragma_table_info($table) ORDER BY cid";
            command.Parameters.AddWithValue("$table", name);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                columns.Add(new SqliteColumn(reader.GetString(0), reader.GetString(1)));
            }

            tables.Add(new SqliteTable(Component, name, columns));
        }

        return tables;
    }

    /// <summary>The <c>version</c> of every row of <c>db_migrations</c>; empty when the table does not exist.</summary>
    public IReadOnlyList<string> ReadMigrationVersions()
    {
        using var exists = connection.CreateCommand();
        exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'db_migrations'";
        if (Convert.ToInt64(exists.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            return [];
        }

        using var command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM db_migrations ORDER BY version";
        using var reader = command.ExecuteReader();
        var versions = new List<string>();
        while (reader.Read())
        {
            versions.Add(reader.GetString(0));
        }

        return versions;
    }

    /// <summary>
    /// SQLite's own high-water marks (<c>sqlite_sequence</c>): the largest id an <c>AUTOINCREMENT</c> table ever handed
    /// out, even when that row is gone (delivered to-device messages are deleted, but clients hold their positions).
    /// </summary>
    public IReadOnlyDictionary<string, long> ReadAutoincrementCounters()
    {
        var counters = new Dictionary<string, long>(StringComparer.Ordinal);
        using var exists = connection.CreateCommand();
        exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'";
        if ((long)exists.ExecuteScalar()! == 0)
        {
            return counters;
        }

        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, seq FROM sqlite_sequence";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            counters[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counters;
    }

    public long CountRows(string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM {Quote(table)}";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Reads the given columns of every row, in rowid order where the table has one.</summary>
    public SqliteDataReader ReadRows(string table, IEnumerable<string> columns)
    {
        var command = connection.CreateCommand();
        command.CommandText = $"SELECT {string.Join(", ", columns.Select(Quote))} FROM {Quote(table)}";
        return command.ExecuteReader(System.Data.CommandBehavior.SequentialAccess);
    }

    public void Dispose() => connection.Dispose();

    internal static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
