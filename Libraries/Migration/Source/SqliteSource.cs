using DendriteAspire.ConfigRenderer.Mapping;

namespace DendriteAspire.Migration.Source;

/// <summary>
/// The directory holding Dendrite's SQLite component databases: <c>&lt;component&gt;.db</c> as DendriteAspire names
/// them (<see cref="SqliteDatabases"/>), or <c>dendrite_&lt;component&gt;.db</c> as Dendrite's own
/// <c>generate-config</c> does. A component without a file is absent (Dendrite creates some only when used).
/// </summary>
public sealed class SqliteSource : IDisposable
{
    private SqliteSource(string directory, IReadOnlyList<SqliteComponentDatabase> databases, IReadOnlyList<string> absent)
    {
        Directory = directory;
        Databases = databases;
        AbsentComponents = absent;
    }

    public string Directory { get; }

    /// <summary>The component databases found, in <see cref="SqliteDatabases.Names"/> order.</summary>
    public IReadOnlyList<SqliteComponentDatabase> Databases { get; }

    /// <summary>Components with no file in the directory.</summary>
    public IReadOnlyList<string> AbsentComponents { get; }

    /// <summary>The two names a component's file may have.</summary>
    public static IReadOnlyList<string> FileNames(string component) => [$"{component}.db", $"dendrite_{component}.db"];

    public static SqliteSource Open(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!System.IO.Directory.Exists(directory))
        {
            throw new MigrationRefusedException($"--from {directory}: no such directory");
        }

        var databases = new List<SqliteComponentDatabase>();
        var absent = new List<string>();
        try
        {
            foreach (var component in SqliteDatabases.Names)
            {
                var candidates = FileNames(component).Select(n => Path.Combine(directory, n)).Where(File.Exists).ToList();
                if (candidates.Count > 1)
                {
                    throw new MigrationRefusedException(
                        $"--from {directory}: both {string.Join(" and ", candidates.Select(Path.GetFileName))} exist; keep the one Dendrite uses");
                }

                if (candidates.Count == 0)
                {
                    absent.Add(component);
                    continue;
                }

                databases.Add(SqliteComponentDatabase.Open(component, candidates[0]));
            }
        }
        catch
        {
            databases.ForEach(d => d.Dispose());
            throw;
        }

        if (databases.Count == 0)
        {
            throw new MigrationRefusedException(
                $"--from {directory}: none of Dendrite's SQLite databases is there (expected {string.Join(", ", SqliteDatabases.Names.Select(n => n + ".db"))})");
        }

        return new SqliteSource(directory, databases, absent);
    }

    public void Dispose()
    {
        foreach (var database in Databases)
        {
            database.Dispose();
        }
    }
}
