using System.Diagnostics;
using System.Globalization;
using DendriteAspire.Migration.Copy;
using DendriteAspire.Migration.Schema;
using DendriteAspire.Migration.Source;
using Npgsql;

namespace DendriteAspire.Migration;

/// <summary>The outcome of a migration (or of a dry run, with nothing copied).</summary>
public sealed record MigrationResult(
    MigrationPlan Plan,
    IReadOnlyDictionary<string, long> CopiedRows,
    IReadOnlyDictionary<string, TimeSpan> CopyTimes,
    IReadOnlyList<SequenceResult> Sequences,
    TimeSpan CopyTime)
{
    public long TotalCopiedRows => CopiedRows.Values.Sum();
}

/// <summary>
/// SQLite to Postgres for Dendrite, in one transaction: check that both sides come from the same Dendrite schema
/// version, refuse a target that already holds accounts or events (unless replacing), empty the tables Dendrite
/// filled on its first start, copy every table, check the row counts, move the sequences past the copied ids, commit.
/// Any refusal happens before the first write; any failure after it rolls everything back.
/// </summary>
public static class PostgresMigration
{
    /// <summary>Tables whose rows mean the target is already someone's homeserver.</summary>
    private static readonly (string Table, string What)[] OccupancyTables =
        [("userapi_accounts", "accounts"), ("roomserver_events", "events")];

    public static async Task<MigrationResult> RunAsync(MigrationOptions options, TextWriter progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        using var source = SqliteSource.Open(options.SourceDirectory);
        await using var connection = new NpgsqlConnection(options.TargetConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

        var schema = await PostgresSchema.ReadAsync(connection, null, cancellationToken).ConfigureAwait(false);
        var plan = MigrationPlan.Build(source, schema);
        if (plan.MigrationDifferences.Count > 0)
        {
            throw new MigrationRefusedException(
                "the SQLite databases and the Postgres database are not at the same Dendrite schema version (db_migrations differ); " +
                "run the same Dendrite release on both, or let Dendrite create the Postgres schema again. Nothing was written. Differences:",
                plan.MigrationDifferences);
        }

        if (plan.Problems.Count > 0)
        {
            throw new MigrationRefusedException("the SQLite databases cannot be copied into this schema; nothing was written:", plan.Problems);
        }

        var occupancy = await OccupancyAsync(connection, null, schema, cancellationToken).ConfigureAwait(false);
        if (occupancy.Count > 0 && !options.Replace)
        {
            throw new MigrationRefusedException(
                $"the target database {connection.Database} already holds {string.Join(" and ", occupancy)}; " +
                "is it the right database? Pass --replace to overwrite everything in it with the SQLite data. Nothing was written.");
        }

        WritePlan(progress, source, plan, schema, occupancy, options);
        if (options.DryRun)
        {
            progress.WriteLine("dry run: nothing was written");
            return new MigrationResult(plan, new Dictionary<string, long>(), new Dictionary<string, TimeSpan>(), [], TimeSpan.Zero);
        }

        return await CopyAsync(connection, plan, options, progress, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<MigrationResult> CopyAsync(
        NpgsqlConnection connection, MigrationPlan plan, MigrationOptions options, TextWriter progress, CancellationToken cancellationToken)
    {
        var copied = new Dictionary<string, long>(StringComparer.Ordinal);
        var times = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // Dendrite's first start fills a few tables (the built-in event types and state keys); with --replace, all of them.
        if (plan.Tables.Count > 0)
        {
            await using var truncate = new NpgsqlCommand(
                $"TRUNCATE {string.Join(", ", plan.Tables.Select(t => TableCopy.Quote(t.Table)))}", connection, transaction);
            await truncate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var width = plan.Tables.Count == 0 ? 0 : plan.Tables.Max(t => t.Table.Length);
        var index = 0;
        foreach (var table in plan.Tables)
        {
            cancellationToken.ThrowIfCancellationRequested();
            index++;
            var tableClock = Stopwatch.StartNew();
            var rows = TableCopy.Run(connection, table);
            copied[table.Table] = rows;
            times[table.Table] = tableClock.Elapsed;
            var seconds = tableClock.Elapsed.TotalSeconds;
            progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{index,2}/{plan.Tables.Count}] {table.Table.PadRight(width)} {rows,9:N0} rows {seconds,7:0.000} s{(rows > 0 && seconds > 0 ? $" ({rows / seconds:N0} rows/s)" : "")}"));
        }

        var copyTime = clock.Elapsed;
        var mismatches = new List<string>();
        foreach (var table in plan.Tables)
        {
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM {TableCopy.Quote(table.Table)}", connection, transaction);
            var inPostgres = (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            if (inPostgres != table.Rows)
            {
                mismatches.Add(string.Create(CultureInfo.InvariantCulture, $"{table.Table}: {table.Rows} rows in SQLite, {inPostgres} in Postgres"));
            }
        }

        if (mismatches.Count > 0)
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            throw new MigrationRefusedException("row counts differ after the copy; everything was rolled back:", mismatches);
        }

        var sequences = await SequenceAdvance.RunAsync(
            connection, transaction, await SequenceDiscovery.FindAsync(connection, transaction, cancellationToken).ConfigureAwait(false),
            plan.AutoincrementCounters, cancellationToken).ConfigureAwait(false);
        foreach (var sequence in sequences)
        {
            var drawnBy = sequence.Columns.Count == 0 ? "no column draws from it" : string.Join(", ", sequence.Columns.Select(c => $"{c.Table}.{c.Column}"));
            progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"sequence {sequence.Sequence}: next {sequence.NextAfter}{(sequence.Advanced ? $" (was {sequence.NextBefore})" : "")}; max in use {sequence.MaxInUse?.ToString(CultureInfo.InvariantCulture) ?? "none"} ({drawnBy})"));
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        var total = copied.Values.Sum();
        progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"committed: {total:N0} rows in {copied.Count} tables, {copyTime.TotalSeconds:0.0} s ({(copyTime.TotalSeconds > 0 ? total / copyTime.TotalSeconds : 0):N0} rows/s){(options.Replace ? " (replaced the previous contents)" : "")}"));
        return new MigrationResult(plan, copied, times, sequences, copyTime);
    }

    private static async Task<List<string>> OccupancyAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, PostgresSchema schema, CancellationToken cancellationToken)
    {
        var found = new List<string>();
        foreach (var (table, what) in OccupancyTables.Where(o => schema.Tables.ContainsKey(o.Table)))
        {
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM {TableCopy.Quote(table)}", connection, transaction);
            var rows = (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            if (rows > 0)
            {
                found.Add(string.Create(CultureInfo.InvariantCulture, $"{rows} {what}"));
            }
        }

        return found;
    }

    private static void WritePlan(
        TextWriter progress, SqliteSource source, MigrationPlan plan, PostgresSchema schema, List<string> occupancy, MigrationOptions options)
    {
        progress.WriteLine($"from {source.Directory} (read-only): {string.Join(", ", source.Databases.Select(d => Path.GetFileName(d.Path)))}");
        progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"schema: {schema.MigrationVersions.Count} db_migrations records match; {plan.Tables.Count} tables, {plan.TotalRows:N0} rows to copy"));
        if (occupancy.Count > 0)
        {
            progress.WriteLine($"--replace: the target's {string.Join(" and ", occupancy)} will be replaced");
        }

        var width = plan.Tables.Count == 0 ? 0 : plan.Tables.Max(t => t.Table.Length);
        foreach (var table in plan.Tables)
        {
            var conversions = table.Columns.Where(c => c.Conversion.Converts).Select(c => $"{c.PostgresName}: {c.Conversion.Description}").ToList();
            progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {table.Table.PadRight(width)} {table.Rows,9:N0} rows  {(conversions.Count == 0 ? "" : string.Join("; ", conversions))}").TrimEnd());
        }

        foreach (var note in plan.Notes)
        {
            progress.WriteLine($"  note: {note}");
        }

        var sequences = schema.Sequences.Count;
        progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"then: {sequences} sequences set past the largest id of every column drawing from them{(options.DryRun ? "" : "; commit only if every row count matches")}"));
    }
}
