using Microsoft.Data.Sqlite;
using Npgsql;

namespace DendriteAspire.Migration.Tests;

/// <summary>Dendrite v0.15.2's real schemas (see DendriteSchema/README.md), recreated for a test.</summary>
public static class DendriteSchemas
{
    public static readonly string[] SqliteComponents = ["federationapi", "keyserver", "mediaapi", "roomserver", "syncapi", "userapi"];

    private static string SchemaFile(string name) => Path.Combine(AppContext.BaseDirectory, "DendriteSchema", name);

    /// <summary>A directory with the six SQLite databases Dendrite v0.15.2 creates on its first start, named as DendriteAspire names them.</summary>
    public static string CreateSqliteSet()
    {
        var directory = Directory.CreateTempSubdirectory("dendrite-sqlite-").FullName;
        foreach (var component in SqliteComponents)
        {
            Execute(Path.Combine(directory, $"{component}.db"), File.ReadAllText(SchemaFile($"sqlite-{component}.sql")));
        }

        return directory;
    }

    /// <summary>Runs SQL against a SQLite file of the set, read-write (test setup only).</summary>
    public static void Execute(string databaseFile, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databaseFile, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Makes the database what Dendrite v0.15.2 leaves after its first start on an empty Postgres database.</summary>
    public static async Task CreatePostgresSchemaAsync(string connectionString)
    {
        await ExecuteAsync(connectionString, await File.ReadAllTextAsync(SchemaFile("postgres.sql")));
    }

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Row counts of every table and the state of every sequence: what "nothing was written" compares.</summary>
    public static async Task<SortedDictionary<string, string>> SnapshotAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var names = new List<(string Name, bool IsSequence)>();
        await using (var list = new NpgsqlCommand(
            "SELECT relname, relkind = 'S' FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'S')", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                names.Add((reader.GetString(0), reader.GetBoolean(1)));
            }
        }

        var snapshot = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, isSequence) in names)
        {
            var sql = isSequence ? $"SELECT last_value::text || '/' || is_called::text FROM \"{name}\"" : $"SELECT count(*)::text FROM \"{name}\"";
            await using var query = new NpgsqlCommand(sql, connection);
            snapshot[name] = (string)(await query.ExecuteScalarAsync())!;
        }

        return snapshot;
    }

    public static Dictionary<string, string> Checksums(string directory) =>
        Directory.GetFiles(directory).Order(StringComparer.Ordinal).ToDictionary(
            f => Path.GetFileName(f), f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))), StringComparer.Ordinal);
}
