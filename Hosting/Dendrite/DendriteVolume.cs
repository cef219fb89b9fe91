using DendriteAspire.ConfigRenderer.Layout;

namespace DendriteAspire.Hosting;

/// <summary>A named, persistent piece of Dendrite's state and where it is mounted in the container.</summary>
/// <param name="Name">The short name: the suffix of the local volume and the Kubernetes claim name.</param>
/// <param name="Target">The mount path, from ConfigRenderer's layout.</param>
public sealed record DendriteVolume(string Name, string Target)
{
    /// <summary>JetStream streams (the internal message bus).</summary>
    public static readonly DendriteVolume JetStream = new("jetstream", DendritePaths.JetStream);
    /// <summary>The SQLite component databases.</summary>
    public static readonly DendriteVolume Sqlite = new("sqlite", DendritePaths.Sqlite);
    /// <summary>Uploaded media and thumbnails.</summary>
    public static readonly DendriteVolume Media = new("media", DendritePaths.Media);
    /// <summary>Log files.</summary>
    public static readonly DendriteVolume Logs = new("logs", DendritePaths.Logs);
    /// <summary>The signing key (and the TLS pair with federation).</summary>
    public static readonly DendriteVolume StorageKeys = new("storage-keys", DendritePaths.StorageKeys);
    /// <summary>The full-text search index.</summary>
    public static readonly DendriteVolume SearchIndex = new("searchindex", DendritePaths.SearchIndex);

    /// <summary>Every volume Dendrite keeps its state on. Losing any of them loses data.</summary>
    public static IReadOnlyList<DendriteVolume> All { get; } = [JetStream, Sqlite, Media, Logs, StorageKeys, SearchIndex];
}
