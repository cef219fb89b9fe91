namespace DendriteAspire.Migration.Schema;

/// <summary>
/// A column of the target table as Postgres's catalog describes it. <see cref="TypeName"/> is the type's internal
/// name (<c>int8</c>, <c>bool</c>, <c>_int8</c> for <c>bigint[]</c>).
/// </summary>
public sealed record PostgresColumn(string Name, string TypeName, bool IsNullable, bool HasDefault);

/// <summary>A table Dendrite created in the target database.</summary>
public sealed record PostgresTable(string Name, IReadOnlyList<PostgresColumn> Columns);
