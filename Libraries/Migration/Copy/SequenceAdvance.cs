using System.Globalization;
using DendriteAspire.Migration.Schema;
using Npgsql;

namespace DendriteAspire.Migration.Copy;

/// <summary>What was done to one sequence after the copy.</summary>
public sealed record SequenceResult(string Sequence, long? MaxInUse, long NextBefore, long NextAfter, IReadOnlyList<SequenceColumn> Columns)
{
    public bool Advanced => NextAfter != NextBefore;
}

/// <summary>
/// Moves every sequence past the largest value of every column that draws from it, so that the next message, room
/// or device gets an id no copied row already has. A sequence is never moved backwards (Dendrite starts some at 65536
/// on purpose, below which it keeps fixed ids). SQLite's own high-water mark of a table (<c>sqlite_sequence</c>) counts
/// as a value in use too: ids of deleted rows may still be in clients' sync tokens.
/// </summary>
public static class SequenceAdvance
{
    public static async Task<IReadOnlyList<SequenceResult>> RunAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<SequenceUse> sequences,
        IReadOnlyDictionary<string, long> sqliteCounters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentNullException.ThrowIfNull(sqliteCounters);
        var results = new List<SequenceResult>();
        foreach (var sequence in sequences)
        {
            long? max = null;
            foreach (var column in sequence.Columns)
            {
                await using var query = new NpgsqlCommand(
                    $"SELECT max({TableCopy.Quote(column.Column)})::bigint FROM {TableCopy.Quote(column.Table)}", connection, transaction);
                if (await query.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long value)
                {
                    max = max is null ? value : Math.Max(max.Value, value);
                }

                if (sqliteCounters.TryGetValue(column.Table, out var counter) && counter > 0)
                {
                    max = max is null ? counter : Math.Max(max.Value, counter);
                }
            }

            var next = await NextValueAsync(connection, transaction, sequence.Sequence, cancellationToken).ConfigureAwait(false);
            var nextAfter = next;
            if (max is { } inUse && inUse >= next)
            {
                await using var set = new NpgsqlCommand("SELECT setval(@sequence::regclass, @value, true)", connection, transaction);
                set.Parameters.AddWithValue("sequence", TableCopy.Quote(sequence.Sequence));
                set.Parameters.AddWithValue("value", inUse);
                await set.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                nextAfter = await NextValueAsync(connection, transaction, sequence.Sequence, cancellationToken).ConfigureAwait(false);
            }

            results.Add(new SequenceResult(sequence.Sequence, max, next, nextAfter, sequence.Columns));
        }

        return results;
    }

    /// <summary>The value <c>nextval</c> would return now, without calling it.</summary>
    public static async Task<long> NextValueAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string sequence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = new NpgsqlCommand(
            $"""
            SELECT s.last_value, s.is_called, p.seqincrement
            FROM {TableCopy.Quote(sequence)} s, pg_sequence p
            WHERE p.seqrelid = @sequence::regclass
            """, connection, transaction);
        command.Parameters.AddWithValue("sequence", TableCopy.Quote(sequence));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"sequence {sequence} not found"));
        }

        var last = reader.GetInt64(0);
        return reader.GetBoolean(1) ? last + reader.GetInt64(2) : last;
    }
}
