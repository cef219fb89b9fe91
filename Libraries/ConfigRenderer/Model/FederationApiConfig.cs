using YamlDotNet.Serialization;

namespace DendriteAspire.ConfigRenderer.Model;

/// <summary>The <c>federation_api</c> section (setup/config/config_federationapi.go).</summary>
public sealed class FederationApiConfig
{
    [YamlMember(Alias = "database")] public DatabaseOptions? Database { get; set; }
    [YamlMember(Alias = "send_max_retries")] public uint? SendMaxRetries { get; set; }
    [YamlMember(Alias = "enable_relays")] public bool? EnableRelays { get; set; }
    [YamlMember(Alias = "p2p_retries_until_assumed_offline")] public uint? P2pRetriesUntilAssumedOffline { get; set; }
    [YamlMember(Alias = "disable_tls_validation")] public bool? DisableTlsValidation { get; set; }
    [YamlMember(Alias = "disable_http_keepalives")] public bool? DisableHttpKeepalives { get; set; }
    [YamlMember(Alias = "key_perspectives")] public List<KeyPerspective>? KeyPerspectives { get; set; }
    [YamlMember(Alias = "prefer_direct_fetch")] public bool? PreferDirectFetch { get; set; }
    /// <summary>CIDRs outbound federation must not dial. Dendrite v0.14.1 and later; older versions ignore it.</summary>
    [YamlMember(Alias = "deny_networks")] public List<string>? DenyNetworks { get; set; }
    /// <summary>CIDRs outbound federation may dial. Dendrite v0.14.1 and later; older versions ignore it.</summary>
    [YamlMember(Alias = "allow_networks")] public List<string>? AllowNetworks { get; set; }
}

/// <summary>A notary server used when a direct key fetch fails.</summary>
public sealed class KeyPerspective
{
    [YamlMember(Alias = "server_name")] public string? ServerName { get; set; }
    [YamlMember(Alias = "keys")] public List<PerspectiveKey>? Keys { get; set; }
}

public sealed class PerspectiveKey
{
    [YamlMember(Alias = "key_id")] public string? KeyId { get; set; }
    [YamlMember(Alias = "public_key")] public string? PublicKey { get; set; }
}
