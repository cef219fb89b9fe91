using YamlDotNet.Serialization;

namespace DendriteAspire.ConfigRenderer.Model;

/// <summary>The <c>app_service_api</c> section.</summary>
public sealed class AppServiceApiConfig
{
    [YamlMember(Alias = "disable_tls_validation")] public bool? DisableTlsValidation { get; set; }
    [YamlMember(Alias = "legacy_auth")] public bool? LegacyAuth { get; set; }
    [YamlMember(Alias = "legacy_paths")] public bool? LegacyPaths { get; set; }
    [YamlMember(Alias = "config_files")] public List<string>? ConfigFiles { get; set; }
}

/// <summary>The <c>key_server</c> section: only its database.</summary>
public sealed class KeyServerConfig
{
    [YamlMember(Alias = "database")] public DatabaseOptions? Database { get; set; }
}

/// <summary>The <c>room_server</c> section.</summary>
public sealed class RoomServerConfig
{
    [YamlMember(Alias = "database")] public DatabaseOptions? Database { get; set; }
    [YamlMember(Alias = "default_room_version")] public string? DefaultRoomVersion { get; set; }
}

/// <summary>The <c>relay_api</c> section: only its database.</summary>
public sealed class RelayApiConfig
{
    [YamlMember(Alias = "database")] public DatabaseOptions? Database { get; set; }
}

/// <summary>The <c>mscs</c> section: experimental Matrix spec changes and their database.</summary>
public sealed class MscsConfig
{
    [YamlMember(Alias = "mscs")] public List<string>? Mscs { get; set; }
    [YamlMember(Alias = "database")] public DatabaseOptions? Database { get; set; }
}

/// <summary>The <c>sync_api</c> section.</summary>
public sealed class SyncApiConfig
{
    [YamlMember(Alias = "database")] public DatabaseOptions? Database { get; set; }
    [YamlMember(Alias = "real_ip_header")] public string? RealIpHeader { get; set; }
    [YamlMember(Alias = "search")] public SearchOptions? Search { get; set; }
}

/// <summary>Full-text search (a Bleve index on disk).</summary>
public sealed class SearchOptions
{
    [YamlMember(Alias = "enabled")] public bool? Enabled { get; set; }
    [YamlMember(Alias = "index_path")] public string? IndexPath { get; set; }
    [YamlMember(Alias = "language")] public string? Language { get; set; }
    [YamlMember(Alias = "in_memory")] public bool? InMemory { get; set; }
}

/// <summary>The <c>user_api</c> section.</summary>
public sealed class UserApiConfig
{
    [YamlMember(Alias = "account_database")] public DatabaseOptions? AccountDatabase { get; set; }
    [YamlMember(Alias = "bcrypt_cost")] public int? BcryptCost { get; set; }
    [YamlMember(Alias = "openid_token_lifetime_ms")] public long? OpenIdTokenLifetimeMs { get; set; }
    [YamlMember(Alias = "push_gateway_disable_tls_validation")] public bool? PushGatewayDisableTlsValidation { get; set; }
    [YamlMember(Alias = "auto_join_rooms")] public List<string>? AutoJoinRooms { get; set; }
    [YamlMember(Alias = "worker_count")] public int? WorkerCount { get; set; }
}

/// <summary>The <c>tracing</c> section (OpenTracing through Jaeger).</summary>
public sealed class TracingConfig
{
    [YamlMember(Alias = "enabled")] public bool? Enabled { get; set; }
    [YamlMember(Alias = "jaeger")] public JaegerOptions? Jaeger { get; set; }
}

/// <summary>jaeger-client-go's <c>config.Configuration</c>; its nested blocks are kept as free-form maps.</summary>
public sealed class JaegerOptions
{
    [YamlMember(Alias = "serviceName")] public string? ServiceName { get; set; }
    [YamlMember(Alias = "disabled")] public bool? Disabled { get; set; }
    [YamlMember(Alias = "rpc_metrics")] public bool? RpcMetrics { get; set; }
    [YamlMember(Alias = "tags")] public List<Dictionary<string, object?>>? Tags { get; set; }
    [YamlMember(Alias = "sampler")] public Dictionary<string, object?>? Sampler { get; set; }
    [YamlMember(Alias = "reporter")] public Dictionary<string, object?>? Reporter { get; set; }
    [YamlMember(Alias = "headers")] public Dictionary<string, object?>? Headers { get; set; }
    [YamlMember(Alias = "baggage_restrictions")] public Dictionary<string, object?>? BaggageRestrictions { get; set; }
    [YamlMember(Alias = "throttler")] public Dictionary<string, object?>? Throttler { get; set; }
}

/// <summary>One <c>logging</c> hook: <c>std</c>, <c>file</c> (params.path) or <c>syslog</c> (params.protocol, params.address).</summary>
public sealed class LoggingHook
{
    [YamlMember(Alias = "type")] public string? Type { get; set; }
    [YamlMember(Alias = "level")] public string? Level { get; set; }
    [YamlMember(Alias = "params")] public Dictionary<string, string>? Params { get; set; }
}
