namespace DendriteAspire.Migration.Schema;

/// <summary>
/// Compares the <c>db_migrations</c> records of the SQLite files with those of the target. Dendrite writes one record
/// per schema migration it has applied, so the two sides match exactly when the same Dendrite release created both,
/// apart from migrations Dendrite defines for one backend only.
/// </summary>
public static class MigrationRecords
{
    /// <summary>
    /// Migrations Dendrite has only in its Postgres storage (read in v0.13.8–v0.15.2:
    /// <c>roomserver/storage/postgres/published_table.go</c>, <c>syncapi/storage/postgres/output_room_events_table.go</c>);
    /// they are expected on the Postgres side alone.
    /// </summary>
    public static readonly IReadOnlySet<string> PostgresOnly = new HashSet<string>(StringComparer.Ordinal)
    {
        "roomserver: published appservice pkey",
        "syncapi: rename dupe index (output_room_events)",
    };

    /// <summary>One line per difference; empty when both sides name the same migrations.</summary>
    public static IReadOnlyList<string> Differences(IEnumerable<string> sqlite, IEnumerable<string> postgres)
    {
        var source = sqlite.ToHashSet(StringComparer.Ordinal);
        var target = postgres.ToHashSet(StringComparer.Ordinal);
        var differences = new List<string>();
        foreach (var version in source.Except(target).Order(StringComparer.Ordinal))
        {
            differences.Add($"only in SQLite: \"{version}\"");
        }

        foreach (var version in target.Except(source).Where(v => !PostgresOnly.Contains(v)).Order(StringComparer.Ordinal))
        {
            differences.Add($"only in Postgres: \"{version}\"");
        }

        return differences;
    }
}
