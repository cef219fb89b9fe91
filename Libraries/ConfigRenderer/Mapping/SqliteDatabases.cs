using DendriteAspire.ConfigRenderer.Layout;
using DendriteAspire.ConfigRenderer.Model;

namespace DendriteAspire.ConfigRenderer.Mapping;

/// <summary>
/// SQLite mode: each of Dendrite's 8 components gets its own file under <see cref="DendritePaths.Sqlite"/>. Dendrite
/// picks each component's SQL dialect from its own string, so there is deliberately no global database.
/// </summary>
public static class SqliteDatabases
{
    public const string FederationApi = "federationapi";
    public const string KeyServer = "keyserver";
    public const string MediaApi = "mediaapi";
    public const string RoomServer = "roomserver";
    public const string SyncApi = "syncapi";
    public const string RelayApi = "relayapi";
    public const string Mscs = "mscs";
    public const string UserApi = "userapi";

    /// <summary>The file names (without .db), the same ones generate-config uses.</summary>
    public static readonly IReadOnlyList<string> Names = [FederationApi, KeyServer, MediaApi, RoomServer, SyncApi, RelayApi, Mscs, UserApi];

    public static string ConnectionString(string name) => $"file:{DendritePaths.Sqlite}/{name}.db";

    public static void Apply(DendriteConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.FederationApi!.Database = Database(FederationApi);
        config.KeyServer = new KeyServerConfig { Database = Database(KeyServer) };
        config.MediaApi!.Database = Database(MediaApi);
        config.RoomServer = new RoomServerConfig { Database = Database(RoomServer) };
        config.SyncApi!.Database = Database(SyncApi);
        config.RelayApi = new RelayApiConfig { Database = Database(RelayApi) };
        config.Mscs = new MscsConfig { Database = Database(Mscs) };
        config.UserApi!.AccountDatabase = Database(UserApi);
    }

    private static DatabaseOptions Database(string name) => new() { ConnectionString = ConnectionString(name) };
}
