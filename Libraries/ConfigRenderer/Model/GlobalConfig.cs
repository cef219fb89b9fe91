using YamlDotNet.Serialization;

namespace DendriteAspire.ConfigRenderer.Model;

/// <summary>The <c>global</c> section (setup/config/config_global.go).</summary>
public sealed class GlobalConfig
{
    [YamlMember(Alias = "server_name")] public string? ServerName { get; set; }
    [YamlMember(Alias = "key_id")] public string? KeyId { get; set; }
    [YamlMember(Alias = "private_key")] public string? PrivateKey { get; set; }
    [YamlMember(Alias = "old_private_keys")] public List<OldPrivateKey>? OldPrivateKeys { get; set; }
    [YamlMember(Alias = "key_validity_period")] public GoDuration? KeyValidityPeriod { get; set; }
    [YamlMember(Alias = "database")] public DatabaseOptions? Database { get; set; }
    [YamlMember(Alias = "cache")] public CacheOptions? Cache { get; set; }
    [YamlMember(Alias = "well_known_server_name")] public string? WellKnownServerName { get; set; }
    [YamlMember(Alias = "well_known_client_name")] public string? WellKnownClientName { get; set; }
    [YamlMember(Alias = "well_known_sliding_sync_proxy")] public string? WellKnownSlidingSyncProxy { get; set; }
    [YamlMember(Alias = "trusted_third_party_id_servers")] public List<string>? TrustedThirdPartyIdServers { get; set; }
    [YamlMember(Alias = "disable_federation")] public bool? DisableFederation { get; set; }
    [YamlMember(Alias = "presence")] public PresenceOptions? Presence { get; set; }
    [YamlMember(Alias = "report_stats")] public ReportStatsOptions? ReportStats { get; set; }
    [YamlMember(Alias = "server_notices")] public ServerNoticesOptions? ServerNotices { get; set; }
    [YamlMember(Alias = "jetstream")] public JetStreamOptions? JetStream { get; set; }
    [YamlMember(Alias = "metrics")] public MetricsOptions? Metrics { get; set; }
    [YamlMember(Alias = "sentry")] public SentryOptions? Sentry { get; set; }
    [YamlMember(Alias = "dns_cache")] public DnsCacheOptions? DnsCache { get; set; }
}

/// <summary>A signing key formerly used by this server, still served so old events verify.</summary>
public sealed class OldPrivateKey
{
    [YamlMember(Alias = "private_key")] public string? PrivateKey { get; set; }
    [YamlMember(Alias = "public_key")] public string? PublicKey { get; set; }
    [YamlMember(Alias = "key_id")] public string? KeyId { get; set; }
    /// <summary>A Unix timestamp in milliseconds (gomatrixserverlib's unsigned <c>spec.Timestamp</c>).</summary>
    [YamlMember(Alias = "expired_at")] public ulong? ExpiredAt { get; set; }
}

/// <summary>A database connection and its pool (<c>DatabaseOptions</c>).</summary>
public sealed class DatabaseOptions
{
    [YamlMember(Alias = "connection_string")] public string? ConnectionString { get; set; }
    [YamlMember(Alias = "max_open_conns")] public int? MaxOpenConns { get; set; }
    [YamlMember(Alias = "max_idle_conns")] public int? MaxIdleConns { get; set; }
    /// <summary>Seconds; -1 means connections are reused forever.</summary>
    [YamlMember(Alias = "conn_max_lifetime")] public int? ConnMaxLifetime { get; set; }
}

public sealed class CacheOptions
{
    [YamlMember(Alias = "max_size_estimated")] public DataUnit? MaxSizeEstimated { get; set; }
    [YamlMember(Alias = "max_age")] public GoDuration? MaxAge { get; set; }
}

public sealed class PresenceOptions
{
    [YamlMember(Alias = "enable_inbound")] public bool? EnableInbound { get; set; }
    [YamlMember(Alias = "enable_outbound")] public bool? EnableOutbound { get; set; }
}

public sealed class ReportStatsOptions
{
    [YamlMember(Alias = "enabled")] public bool? Enabled { get; set; }
    [YamlMember(Alias = "endpoint")] public string? Endpoint { get; set; }
}

public sealed class ServerNoticesOptions
{
    [YamlMember(Alias = "enabled")] public bool? Enabled { get; set; }
    [YamlMember(Alias = "local_part")] public string? LocalPart { get; set; }
    [YamlMember(Alias = "display_name")] public string? DisplayName { get; set; }
    [YamlMember(Alias = "avatar_url")] public string? AvatarUrl { get; set; }
    [YamlMember(Alias = "room_name")] public string? RoomName { get; set; }
}

/// <summary>NATS JetStream. Without addresses Dendrite runs NATS in-process.</summary>
public sealed class JetStreamOptions
{
    [YamlMember(Alias = "addresses")] public List<string>? Addresses { get; set; }
    /// <summary>Dendrite v0.15.0 and later; older versions ignore it.</summary>
    [YamlMember(Alias = "js_domain")] public string? JsDomain { get; set; }
    [YamlMember(Alias = "in_memory")] public bool? InMemory { get; set; }
    [YamlMember(Alias = "disable_tls_validation")] public bool? DisableTlsValidation { get; set; }
    [YamlMember(Alias = "storage_path")] public string? StoragePath { get; set; }
    [YamlMember(Alias = "topic_prefix")] public string? TopicPrefix { get; set; }
    [YamlMember(Alias = "credentials_path")] public string? CredentialsPath { get; set; }
}

public sealed class MetricsOptions
{
    [YamlMember(Alias = "enabled")] public bool? Enabled { get; set; }
    [YamlMember(Alias = "basic_auth")] public BasicAuth? BasicAuth { get; set; }
}

public sealed class BasicAuth
{
    [YamlMember(Alias = "username")] public string? Username { get; set; }
    [YamlMember(Alias = "password")] public string? Password { get; set; }
}

public sealed class SentryOptions
{
    [YamlMember(Alias = "enabled")] public bool? Enabled { get; set; }
    [YamlMember(Alias = "dsn")] public string? Dsn { get; set; }
    [YamlMember(Alias = "environment")] public string? Environment { get; set; }
}

public sealed class DnsCacheOptions
{
    [YamlMember(Alias = "enabled")] public bool? Enabled { get; set; }
    [YamlMember(Alias = "cache_size")] public int? CacheSize { get; set; }
    [YamlMember(Alias = "cache_lifetime")] public GoDuration? CacheLifetime { get; set; }
}
