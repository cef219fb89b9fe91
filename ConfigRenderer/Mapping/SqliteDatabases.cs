using DendriteAspire.ConfigRenderer.Layout;
using DendriteAspire.ConfigRenderer.Model;

namespace DendriteAspire.ConfigRenderer.Mapping;

/// <summary>
/// SQLite mode: each of Dendrite's 8 components gets its own file under <see cref="DendritePaths.Sqlite"/>. Dendrite
/// picks each component's SQL dialect from its own string, so there is deliberately no global database.
/// </summary>
public static class SqliteDatabases
{
    /// <summary>The file names, the same ones generate-config uses.</summary>
    public static readonly IReadOnlyList<string> Names =
        ["federationapi", "keyserver", "mediaapi", "roomserver", "syncapi", "relayapi", "mscs", "userapi"];

    public static string ConnectionString(string name) => $"file:{DendritePaths.Sqlite}/{name}.db";

    public static void Apply(DendriteConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.FederationApi!.Database = Database("federationapi");
        config.KeyServer = new KeyServerConfig { Database = Database("keyserver") };
        config.MediaApi!.Database = Database("mediaapi");
        config.RoomServer = new RoomServerConfig { Database = Database("roomserver") };
        config.SyncApi!.Database = Database("syncapi");
        config.RelayApi = new RelayApiConfig { Database = Database("relayapi") };
        config.Mscs = new MscsConfig { Database = Database("mscs") };
        config.UserApi!.AccountDatabase = Database("userapi");
    }

    private static DatabaseOptions Database(string name) => new() { ConnectionString = ConnectionString(name) };
}
