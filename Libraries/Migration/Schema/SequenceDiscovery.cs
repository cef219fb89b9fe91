using Npgsql;

namespace DendriteAspire.Migration.Schema;

/// <summary>A sequence and every column that draws its values from it.</summary>
public sealed record SequenceUse(string Sequence, IReadOnlyList<SequenceColumn> Columns);

/// <summary>A column whose values come from a sequence: its default calls <c>nextval</c>, or the sequence is owned by it.</summary>
public sealed record SequenceColumn(string Table, string Column);

/// <summary>
/// Finds, from Postgres's catalog, which columns draw from which sequence. Dendrite shares some sequences between
/// tables (<c>syncapi_stream_id</c> feeds four), so a hand-written list would go stale; the catalog cannot.
/// Two kinds of dependency in <c>pg_depend</c> are followed:
/// <list type="bullet">
/// <item>a column default (<c>pg_attrdef</c>) that references the sequence, i.e. <c>DEFAULT nextval('seq')</c>;</item>
/// <item>a sequence owned by a column (<c>serial</c>, <c>bigserial</c>, identity, <c>OWNED BY</c>).</item>
/// </list>
/// Sequences no column draws from are listed with no columns.
/// </summary>
public static class SequenceDiscovery
{
    private const string Query = """
        WITH sequences AS (
            SELECT s.oid, s.relname
            FROM pg_class s JOIN pg_namespace n ON n.oid = s.relnamespace
            WHERE s.relkind = 'S' AND n.nspname = current_schema()
        ),
        uses AS (
            -- DEFAULT nextval('seq'): the default expression depends on the sequence.
            SELECT d.refobjid AS seq, ad.adrelid AS rel, ad.adnum AS attnum
            FROM pg_depend d
            JOIN pg_attrdef ad ON d.classid = 'pg_attrdef'::regclass AND d.objid = ad.oid
            WHERE d.refclassid = 'pg_class'::regclass
            UNION
            -- serial, identity and OWNED BY: the sequence depends on the column.
            SELECT d.objid, d.refobjid, d.refobjsubid
            FROM pg_depend d
            WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
              AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i')
        )
        SELECT s.relname, t.relname, a.attname
        FROM sequences s
        LEFT JOIN uses u ON u.seq = s.oid
        LEFT JOIN pg_class t ON t.oid = u.rel
        LEFT JOIN pg_attribute a ON a.attrelid = u.rel AND a.attnum = u.attnum
        ORDER BY s.relname, t.relname, a.attname
        """;

    public static async Task<IReadOnlyList<SequenceUse>> FindAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        var found = new SortedDictionary<string, SortedSet<(string Table, string Column)>>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand(Query, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var sequence = reader.GetString(0);
            if (!found.TryGetValue(sequence, out var columns))
            {
                found[sequence] = columns = [];
            }

            if (!reader.IsDBNull(1) && !reader.IsDBNull(2))
            {
                columns.Add((reader.GetString(1), reader.GetString(2)));
            }
        }

        return found.Select(f => new SequenceUse(f.Key, f.Value.Select(c => new SequenceColumn(c.Table, c.Column)).ToList())).ToList();
    }
}
