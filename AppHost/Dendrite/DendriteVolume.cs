using DendriteAspire.ConfigRenderer.Layout;

namespace DendriteAspire.AppHost.Dendrite;

/// <summary>A named, persistent piece of Dendrite's state and where it is mounted in the container.</summary>
/// <param name="Name">The short name: the suffix of the local volume and the Kubernetes claim name.</param>
/// <param name="Target">The mount path, from ConfigRenderer's layout.</param>
public sealed record DendriteVolume(string Name, string Target)
{
    public static readonly DendriteVolume JetStream = new("jetstream", DendritePaths.JetStream);
    public static readonly DendriteVolume Sqlite = new("sqlite", DendritePaths.Sqlite);
    public static readonly DendriteVolume Media = new("media", DendritePaths.Media);
    public static readonly DendriteVolume Logs = new("logs", DendritePaths.Logs);
    public static readonly DendriteVolume StorageKeys = new("storage-keys", DendritePaths.StorageKeys);
    public static readonly DendriteVolume SearchIndex = new("searchindex", DendritePaths.SearchIndex);

    /// <summary>Every volume Dendrite keeps its state on. Losing any of them loses data.</summary>
    public static IReadOnlyList<DendriteVolume> All { get; } = [JetStream, Sqlite, Media, Logs, StorageKeys, SearchIndex];
}
