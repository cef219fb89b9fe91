using DendriteAspire.Migration.Copy;
using DendriteAspire.Migration.Source;

namespace DendriteAspire.Migration.Schema;

/// <summary>A column to copy: its name on both sides and how its values are converted.</summary>
public sealed record ColumnPlan(string SqliteName, string PostgresName, ColumnConversion Conversion);

/// <summary>One table to copy from a component database into the Postgres table of the same name.</summary>
public sealed record TablePlan(SqliteComponentDatabase Source, string Table, long Rows, IReadOnlyList<ColumnPlan> Columns);

/// <summary>
/// What the migration will do, worked out before anything is written: every SQLite table matched to the Postgres
/// table of the same name, every column to a conversion chosen from the Postgres column type. <see cref="Problems"/>
/// lists everything that makes it impossible (a table or column with no counterpart, a type with no conversion).
/// </summary>
/// <param name="Tables">The tables to copy, in order.</param>
/// <param name="Notes">What is deliberately not copied, or left as Dendrite created it.</param>
/// <param name="Problems">What makes the migration impossible; empty when it can run.</param>
/// <param name="MigrationDifferences">How the <c>db_migrations</c> records of both sides differ; empty when they match.</param>
/// <param name="AutoincrementCounters">SQLite's <c>sqlite_sequence</c> of every copied table: floors for the sequences.</param>
public sealed record MigrationPlan(
    IReadOnlyList<TablePlan> Tables,
    IReadOnlyList<string> Notes,
    IReadOnlyList<string> Problems,
    IReadOnlyList<string> MigrationDifferences,
    IReadOnlyDictionary<string, long> AutoincrementCounters)
{
    /// <summary>
    /// SQLite tables that have no Postgres table on purpose: Dendrite's SQLite storage counts stream positions in
    /// <c>syncapi_stream_id</c>, where Postgres uses sequences (set from the copied rows afterwards).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> SqliteOnlyTables = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["syncapi_stream_id"] = "SQLite's stream counters; Postgres draws stream positions from sequences instead",
    };

    public long TotalRows => Tables.Sum(t => t.Rows);

    public static MigrationPlan Build(SqliteSource source, PostgresSchema target)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        var tables = new List<TablePlan>();
        var notes = new List<string>();
        var problems = new List<string>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        var sqliteMigrations = new List<string>();
        var counters = new Dictionary<string, long>(StringComparer.Ordinal);

        foreach (var component in source.AbsentComponents)
        {
            notes.Add($"{component}: no database file in {source.Directory}; its Postgres tables stay as Dendrite created them");
        }

        foreach (var database in source.Databases)
        {
            sqliteMigrations.AddRange(database.ReadMigrationVersions());
            foreach (var (table, counter) in database.ReadAutoincrementCounters())
            {
                counters[table] = counter;
            }

            foreach (var table in database.ReadTables())
            {
                var where = $"{Path.GetFileName(database.Path)}: {table.Name}";
                if (table.Name == PostgresSchema.MigrationsTable)
                {
                    continue;
                }

                if (seen.TryGetValue(table.Name, out var other))
                {
                    problems.Add($"{where}: the table is also in {other}; table names must be unique across the components");
                    continue;
                }

                seen[table.Name] = Path.GetFileName(database.Path);
                var rows = database.CountRows(table.Name);
                if (!target.Tables.TryGetValue(table.Name, out var pgTable))
                {
                    if (SqliteOnlyTables.TryGetValue(table.Name, out var why))
                    {
                        notes.Add($"{where}: not copied ({why})");
                    }
                    else if (rows == 0)
                    {
                        notes.Add($"{where}: empty and not in Dendrite's Postgres schema; not copied");
                    }
                    else
                    {
                        problems.Add($"{where}: holds {rows} rows but Dendrite's Postgres schema has no such table");
                    }

                    continue;
                }

                var columns = PlanColumns(where, table, pgTable, rows, notes, problems);
                if (columns is not null)
                {
                    tables.Add(new TablePlan(database, table.Name, rows, columns));
                }
            }
        }

        foreach (var name in target.Tables.Keys.Where(t => t != PostgresSchema.MigrationsTable && !seen.ContainsKey(t)).Order(StringComparer.Ordinal))
        {
            notes.Add($"{name}: only in Postgres; left as Dendrite created it");
        }

        var differences = target.MigrationVersions.Count == 0
            ? ["the target has no db_migrations records: start Dendrite once on this empty Postgres database so it creates its schema, stop it, then migrate"]
            : MigrationRecords.Differences(sqliteMigrations, target.MigrationVersions);
        var copied = tables.Select(t => t.Table).ToHashSet(StringComparer.Ordinal);
        return new MigrationPlan(tables, notes, problems, differences,
            counters.Where(c => copied.Contains(c.Key)).ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal));
    }

    private static List<ColumnPlan>? PlanColumns(
        string where, SqliteTable table, Schema.PostgresTable pgTable, long rows, List<string> notes, List<string> problems)
    {
        var sqliteColumns = table.Columns.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
        var columns = new List<ColumnPlan>();
        var ok = true;
        foreach (var pgColumn in pgTable.Columns)
        {
            if (!sqliteColumns.Remove(pgColumn.Name, out var sqliteColumn))
            {
                if (pgColumn.IsNullable || pgColumn.HasDefault)
                {
                    notes.Add($"{where}.{pgColumn.Name}: only in Postgres; gets its default");
                }
                else
                {
                    problems.Add($"{where}.{pgColumn.Name}: NOT NULL in Postgres without a default, and missing in SQLite");
                    ok = false;
                }

                continue;
            }

            var conversion = ColumnConversion.For(pgColumn.TypeName);
            if (conversion is null)
            {
                problems.Add($"{where}.{pgColumn.Name}: no conversion from SQLite ({sqliteColumn.DeclaredType}) to the Postgres type {pgColumn.TypeName}; supported: {string.Join(", ", ColumnConversion.SupportedTypes)}");
                ok = false;
                continue;
            }

            columns.Add(new ColumnPlan(sqliteColumn.Name, pgColumn.Name, conversion));
        }

        foreach (var extra in sqliteColumns.Values)
        {
            if (rows == 0)
            {
                notes.Add($"{where}.{extra.Name}: only in SQLite (table empty)");
            }
            else
            {
                problems.Add($"{where}.{extra.Name}: only in SQLite; Dendrite's Postgres table has no such column");
                ok = false;
            }
        }

        return ok ? columns : null;
    }
}
