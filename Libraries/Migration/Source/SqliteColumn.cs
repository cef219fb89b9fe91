namespace DendriteAspire.Migration.Source;

/// <summary>A column of a SQLite table as SQLite declares it (the declared type is informational; SQLite stores any value).</summary>
public sealed record SqliteColumn(string Name, string DeclaredType);

/// <summary>A table of one component database, with its columns in declaration order.</summary>
public sealed record SqliteTable(string Component, string Name, IReadOnlyList<SqliteColumn> Columns);
