namespace DendriteAspire.Backup.Runtime;

/// <summary>
/// The named volumes of one server (<c>&lt;prefix&gt;-sqlite</c>, ...), the model's contract (Hosting's
/// <c>DendriteVolume</c>). A backup holds these four; <c>logs</c> and <c>searchindex</c> are rebuilt or not needed.
/// </summary>
public static class ServerVolumes
{
    public const string Sqlite = "sqlite";
    public const string Media = "media";
    public const string StorageKeys = "storage-keys";
    public const string JetStream = "jetstream";
    public const string SearchIndex = "searchindex";
    public const string PostgresData = "postgres-data";

    /// <summary>The volumes whose contents go into a backup, in archive order.</summary>
    public static IReadOnlyList<string> Archived { get; } = [Sqlite, JetStream, StorageKeys, Media];

    /// <summary>The file on the keys volume that records which Dendrite release last ran on this data (the upgrade guard).</summary>
    public const string ReleaseMarker = "dendriteaspire-release";

    /// <summary>The signing key's file name on the keys volume.</summary>
    public const string SigningKey = "matrix_key.pem";

    public static string Name(string prefix, string volume) => $"{prefix}-{volume}";
}
