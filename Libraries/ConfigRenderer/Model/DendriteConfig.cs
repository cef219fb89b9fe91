using YamlDotNet.Serialization;

namespace DendriteAspire.ConfigRenderer.Model;

/// <summary>
/// Dendrite's whole version-2 <c>dendrite.yaml</c> (setup/config/config.go). A null member is absent from the file and
/// Dendrite uses its own runtime default for it.
/// </summary>
public sealed class DendriteConfig
{
    public const int CurrentVersion = 2;

    [YamlMember(Alias = "version")] public int? Version { get; set; }
    [YamlMember(Alias = "global")] public GlobalConfig? Global { get; set; }
    [YamlMember(Alias = "app_service_api")] public AppServiceApiConfig? AppServiceApi { get; set; }
    [YamlMember(Alias = "client_api")] public ClientApiConfig? ClientApi { get; set; }
    [YamlMember(Alias = "federation_api")] public FederationApiConfig? FederationApi { get; set; }
    [YamlMember(Alias = "key_server")] public KeyServerConfig? KeyServer { get; set; }
    [YamlMember(Alias = "media_api")] public MediaApiConfig? MediaApi { get; set; }
    [YamlMember(Alias = "room_server")] public RoomServerConfig? RoomServer { get; set; }
    [YamlMember(Alias = "sync_api")] public SyncApiConfig? SyncApi { get; set; }
    [YamlMember(Alias = "user_api")] public UserApiConfig? UserApi { get; set; }
    [YamlMember(Alias = "relay_api")] public RelayApiConfig? RelayApi { get; set; }
    [YamlMember(Alias = "mscs")] public MscsConfig? Mscs { get; set; }
    [YamlMember(Alias = "tracing")] public TracingConfig? Tracing { get; set; }
    [YamlMember(Alias = "logging")] public List<LoggingHook>? Logging { get; set; }
}
