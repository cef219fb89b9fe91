using DendriteAspire.ConfigRenderer.Model;

namespace DendriteAspire.ConfigRenderer.Validation;

/// <summary>
/// Database rules: a global Postgres pool, or a distinct <c>file:</c> database per component. Dendrite picks each
/// component's SQL dialect from that component's own string, so a SQLite string in the global block crashes at startup.
/// </summary>
internal static class DatabaseRules
{
    public static IEnumerable<(string Path, DatabaseOptions? Database)> Components(DendriteConfig config) =>
    [
        ("federation_api.database", config.FederationApi?.Database),
        ("key_server.database", config.KeyServer?.Database),
        ("media_api.database", config.MediaApi?.Database),
        ("room_server.database", config.RoomServer?.Database),
        ("sync_api.database", config.SyncApi?.Database),
        ("user_api.account_database", config.UserApi?.AccountDatabase),
        ("relay_api.database", config.RelayApi?.Database),
        ("mscs.database", config.Mscs?.Database),
    ];

    public static bool IsSqlite(string connectionString) => connectionString.StartsWith("file:", StringComparison.Ordinal);

    public static bool IsPostgresUri(string connectionString) =>
        (connectionString.StartsWith("postgres://", StringComparison.Ordinal) ||
         connectionString.StartsWith("postgresql://", StringComparison.Ordinal)) &&
        Uri.TryCreate(connectionString, UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.Host);

    public static void Check(DendriteConfig config, Findings findings)
    {
        var global = config.Global?.Database;
        var globalString = global?.ConnectionString;
        if (!string.IsNullOrEmpty(globalString))
        {
            if (IsSqlite(globalString))
            {
                findings.Error("global.database.connection_string",
                    "is a SQLite \"file:\" string, which passes Dendrite's checks but crashes at startup; remove global.database and give each component its own file: database, or use a postgres:// URI");
            }
            else if (!IsPostgresUri(globalString))
            {
                findings.Error("global.database.connection_string",
                    "must be a postgres:// or postgresql:// URI, e.g. postgres://dendrite:password@db/dendrite?sslmode=disable");
            }

            CheckPool(global!, "global.database", findings);
        }

        var sqliteFiles = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, database) in Components(config))
        {
            var connectionString = database?.ConnectionString;
            if (string.IsNullOrEmpty(connectionString))
            {
                if (string.IsNullOrEmpty(globalString))
                {
                    findings.Error($"{path}.connection_string",
                        "is missing and there is no global database; give this component its own file: database, e.g. file:/var/sqlite/dendrite/<component>.db, or set global.database to a postgres:// URI");
                }

                continue;
            }

            if (IsSqlite(connectionString))
            {
                var file = SqliteFile(connectionString);
                if (sqliteFiles.TryGetValue(file, out var firstPath))
                {
                    findings.Error($"{path}.connection_string",
                        $"uses the same SQLite file as {firstPath}; give every component its own file, e.g. file:/var/sqlite/dendrite/<component>.db");
                }
                else
                {
                    sqliteFiles[file] = path;
                }
            }
            else if (!IsPostgresUri(connectionString))
            {
                findings.Error($"{path}.connection_string",
                    "must be a SQLite file: string or a postgres:// or postgresql:// URI, e.g. file:/var/sqlite/dendrite/<component>.db; or remove it to use global.database");
            }
            else
            {
                CheckPool(database!, path, findings);
            }
        }
    }

    private static void CheckPool(DatabaseOptions database, string path, Findings findings)
    {
        if (database.MaxOpenConns is { } open && open >= KnownValues.PostgresConnectionLimit)
        {
            findings.Error($"{path}.max_open_conns",
                $"is {open}, but a default Postgres allows only {KnownValues.PostgresConnectionLimit - 1} (max_connections 100 minus 3 reserved) and Dendrite's startup check would fail; use e.g. 50");
        }
        else if (database.MaxOpenConns < 0)
        {
            findings.Error($"{path}.max_open_conns", "must not be negative; use e.g. 50");
        }

        if (database.MaxIdleConns < 0)
        {
            findings.Error($"{path}.max_idle_conns", "must not be negative; use e.g. 5");
        }
    }

    /// <summary>The file a SQLite string points at, so file:x.db and file:///x.db?mode=rwc compare equal.</summary>
    private static string SqliteFile(string connectionString)
    {
        var file = connectionString["file:".Length..];
        var query = file.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0)
        {
            file = file[..query];
        }

        if (file.StartsWith("//", StringComparison.Ordinal))
        {
            file = file[2..];
        }

        return file;
    }
}
