using Npgsql;

namespace DendriteAspire.Migration.Schema;

/// <summary>
/// What Dendrite created in the target database when it first started on it: tables and columns of the current
/// schema, the <c>db_migrations</c> records, and the sequences with the columns drawing from them.
/// </summary>
public sealed record PostgresSchema(
    IReadOnlyDictionary<string, PostgresTable> Tables,
    IReadOnlyList<string> MigrationVersions,
    IReadOnlyList<SequenceUse> Sequences)
{
    public const string MigrationsTable = "db_migrations";

    public static async Task<PostgresSchema> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var columns = new Dictionary<string, List<PostgresColumn>>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand(
            """
            SELECT c.relname, a.attname, t.typname, NOT a.attnotnull, a.atthasdef
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            JOIN pg_type t ON t.oid = a.atttypid
            WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema()
            ORDER BY c.relname, a.attnum
            """, connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var table = reader.GetString(0);
                if (!columns.TryGetValue(table, out var list))
                {
                    columns[table] = list = [];
                }

                list.Add(new PostgresColumn(reader.GetString(1), reader.GetString(2), reader.GetBoolean(3), reader.GetBoolean(4)));
            }
        }

        var tables = columns.ToDictionary(c => c.Key, c => new PostgresTable(c.Key, c.Value), StringComparer.Ordinal);
        List<string> versions = [];
        if (tables.ContainsKey(MigrationsTable))
        {
            await using var command = new NpgsqlCommand($"SELECT version FROM {MigrationsTable} ORDER BY version", connection, transaction);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                versions.Add(reader.GetString(0));
            }
        }

        var sequences = await SequenceDiscovery.FindAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        return new PostgresSchema(tables, versions, sequences);
    }
}
