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

/// <summary>jaeger-client-go v2.30.0's <c>config.Configuration</c> (config/config.go), with its YAML names.</summary>
public sealed class JaegerOptions
{
    [YamlMember(Alias = "serviceName")] public string? ServiceName { get; set; }
    [YamlMember(Alias = "disabled")] public bool? Disabled { get; set; }
    [YamlMember(Alias = "rpc_metrics")] public bool? RpcMetrics { get; set; }
    [YamlMember(Alias = "traceid_128bit")] public bool? TraceId128Bit { get; set; }
    [YamlMember(Alias = "tags")] public List<JaegerTag>? Tags { get; set; }
    [YamlMember(Alias = "sampler")] public JaegerSampler? Sampler { get; set; }
    [YamlMember(Alias = "reporter")] public JaegerReporter? Reporter { get; set; }
    [YamlMember(Alias = "headers")] public JaegerHeaders? Headers { get; set; }
    [YamlMember(Alias = "baggage_restrictions")] public JaegerBaggageRestrictions? BaggageRestrictions { get; set; }
    [YamlMember(Alias = "throttler")] public JaegerThrottler? Throttler { get; set; }
}

/// <summary>A tracer tag (opentracing-go's <c>Tag</c>, whose fields have no YAML names, so yaml.v2 lower-cases them).</summary>
public sealed class JaegerTag
{
    [YamlMember(Alias = "key")] public string? Key { get; set; }
    [YamlMember(Alias = "value")] public object? Value { get; set; }
}

/// <summary>jaeger-client-go's <c>SamplerConfig</c>.</summary>
public sealed class JaegerSampler
{
    [YamlMember(Alias = "type")] public string? Type { get; set; }
    [YamlMember(Alias = "param")] public double? Param { get; set; }
    [YamlMember(Alias = "samplingServerURL")] public string? SamplingServerUrl { get; set; }
    [YamlMember(Alias = "samplingRefreshInterval")] public GoDuration? SamplingRefreshInterval { get; set; }
    [YamlMember(Alias = "maxOperations")] public int? MaxOperations { get; set; }
    [YamlMember(Alias = "operationNameLateBinding")] public bool? OperationNameLateBinding { get; set; }

    /// <summary>
    /// Go functions (<c>[]jaeger.SamplerOption</c>, untagged, so yaml.v2 names it <c>options</c>). YAML cannot fill a
    /// function: only null or <c>[]</c> loads.
    /// </summary>
    [YamlMember(Alias = "options")][YamlKind("[]func")] public List<object?>? Options { get; set; }
}

/// <summary>
/// jaeger-client-go's <c>ReporterConfig</c>. Two of its durations have no YAML tag, so yaml.v2 reads them under their
/// lower-cased Go names (<c>bufferflushinterval</c>, <c>attemptreconnectinterval</c>).
/// </summary>
public sealed class JaegerReporter
{
    [YamlMember(Alias = "queueSize")] public int? QueueSize { get; set; }
    [YamlMember(Alias = "bufferflushinterval")] public GoDuration? BufferFlushInterval { get; set; }
    [YamlMember(Alias = "logSpans")] public bool? LogSpans { get; set; }
    [YamlMember(Alias = "localAgentHostPort")] public string? LocalAgentHostPort { get; set; }
    [YamlMember(Alias = "disableAttemptReconnecting")] public bool? DisableAttemptReconnecting { get; set; }
    [YamlMember(Alias = "attemptreconnectinterval")] public GoDuration? AttemptReconnectInterval { get; set; }
    [YamlMember(Alias = "collectorEndpoint")] public string? CollectorEndpoint { get; set; }
    [YamlMember(Alias = "user")] public string? User { get; set; }
    [YamlMember(Alias = "password")] public string? Password { get; set; }
    [YamlMember(Alias = "http_headers")] public Dictionary<string, string>? HttpHeaders { get; set; }
}

/// <summary>jaeger-client-go's <c>HeadersConfig</c> (note the capital T of <c>TraceContextHeaderName</c>).</summary>
public sealed class JaegerHeaders
{
    [YamlMember(Alias = "jaegerDebugHeader")] public string? JaegerDebugHeader { get; set; }
    [YamlMember(Alias = "jaegerBaggageHeader")] public string? JaegerBaggageHeader { get; set; }
    [YamlMember(Alias = "TraceContextHeaderName")] public string? TraceContextHeaderName { get; set; }
    [YamlMember(Alias = "traceBaggageHeaderPrefix")] public string? TraceBaggageHeaderPrefix { get; set; }
}

/// <summary>jaeger-client-go's <c>BaggageRestrictionsConfig</c>.</summary>
public sealed class JaegerBaggageRestrictions
{
    [YamlMember(Alias = "denyBaggageOnInitializationFailure")] public bool? DenyBaggageOnInitializationFailure { get; set; }
    [YamlMember(Alias = "hostPort")] public string? HostPort { get; set; }
    [YamlMember(Alias = "refreshInterval")] public GoDuration? RefreshInterval { get; set; }
}

/// <summary>jaeger-client-go's <c>ThrottlerConfig</c>.</summary>
public sealed class JaegerThrottler
{
    [YamlMember(Alias = "hostPort")] public string? HostPort { get; set; }
    [YamlMember(Alias = "refreshInterval")] public GoDuration? RefreshInterval { get; set; }
    [YamlMember(Alias = "synchronousInitialization")] public bool? SynchronousInitialization { get; set; }
}

/// <summary>One <c>logging</c> hook: <c>std</c>, <c>file</c> (params.path) or <c>syslog</c> (params.protocol, params.address).</summary>
public sealed class LoggingHook
{
    [YamlMember(Alias = "type")] public string? Type { get; set; }
    [YamlMember(Alias = "level")] public string? Level { get; set; }
    /// <summary>Free-form (<c>map[string]interface{}</c>): <c>path</c> for file, <c>protocol</c> and <c>address</c> for syslog.</summary>
    [YamlMember(Alias = "params")] public Dictionary<string, object?>? Params { get; set; }
}
