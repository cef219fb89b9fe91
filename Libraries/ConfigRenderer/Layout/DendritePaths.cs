namespace DendriteAspire.ConfigRenderer.Layout;

/// <summary>
/// Where things live inside the Dendrite container. This is the origin deployment's mount layout, shared by the
/// rendered config, the local containers and the Kubernetes manifests.
/// </summary>
public static class DendritePaths
{
    /// <summary>
    /// Not the image's <c>/etc/dendrite</c>: the image declares that directory a <c>VOLUME</c>, so every local
    /// container got an anonymous volume holding a copy of the config (and its secrets) that outlived the container.
    /// </summary>
    public const string ConfigDirectory = "/etc/dendrite-config";
    public const string ConfigFileName = "dendrite.yaml";
    public const string ConfigFile = ConfigDirectory + "/" + ConfigFileName;

    public const string JetStream = "/var/dendrite/jetstream";
    public const string Sqlite = "/var/sqlite/dendrite";
    public const string Media = "/var/dendrite/media";
    public const string StorageKeys = "/var/dendrite/storage-keys";
    public const string SigningKeyFileName = "matrix_key.pem";
    public const string SigningKey = StorageKeys + "/" + SigningKeyFileName;
    public const string Logs = "/var/dendrite/logs";
    public const string SearchIndex = "/var/dendrite/searchindex";
}
