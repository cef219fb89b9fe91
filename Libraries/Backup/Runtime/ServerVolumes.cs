namespace DendriteAspire.Backup.Runtime;

/// <summary>
/// The named volumes of one server (<c>&lt;prefix&gt;-sqlite</c>, ...), the model's contract (Hosting's
/// <c>DendriteVolume</c>). A backup holds these four; <c>logs</c> and <c>searchindex</c> are rebuilt or not needed.
/// </summary>
public static class ServerVolumes
{
    /// <summary>The SQLite component databases.</summary>
    public const string Sqlite = "sqlite";
    /// <summary>Uploaded media.</summary>
    public const string Media = "media";
    /// <summary>The signing key (and the TLS pair with federation).</summary>
    public const string StorageKeys = "storage-keys";
    /// <summary>JetStream, Dendrite's internal message bus.</summary>
    public const string JetStream = "jetstream";
    /// <summary>The full-text search index (rebuilt, never backed up).</summary>
    public const string SearchIndex = "searchindex";
    /// <summary>Postgres's data directory (backed up as a dump).</summary>
    public const string PostgresData = "postgres-data";

    /// <summary>The volumes whose contents go into a backup, in archive order.</summary>
    public static IReadOnlyList<string> Archived { get; } = [Sqlite, JetStream, StorageKeys, Media];

    /// <summary>The file on the keys volume that records which Dendrite release last ran on this data (the upgrade guard).</summary>
    public const string ReleaseMarker = "dendriteaspire-release";

    /// <summary>The signing key's file name on the keys volume.</summary>
    public const string SigningKey = "matrix_key.pem";

    /// <summary>The volume's name under a prefix: <c>&lt;prefix&gt;-&lt;volume&gt;</c>.</summary>
    public static string Name(string prefix, string volume) => $"{prefix}-{volume}";
}
