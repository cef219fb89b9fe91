using YamlDotNet.Serialization;

namespace DendriteAspire.ConfigRenderer.Model;

/// <summary>
/// An application-service registration file as Dendrite v0.15.2 reads it (setup/config/config_appservice.go,
/// <c>ApplicationService</c>). Dendrite requires <c>id</c>, <c>as_token</c>, <c>hs_token</c> and
/// <c>sender_localpart</c>, unique ids and tokens, and valid Go regular expressions; a registration without a
/// <c>namespaces.users</c> list would make it panic at start (it appends to the map), so one is always written.
/// </summary>
public sealed class AppServiceRegistration
{
    [YamlMember(Alias = "id")] public string Id { get; set; } = "";

    /// <summary>Empty: Dendrite then pushes no events to it (<c>appserviceIsInterestedInEvent</c> returns false for an empty URL).</summary>
    [YamlMember(Alias = "url")] public string Url { get; set; } = "";

    [YamlMember(Alias = "as_token")] public string AsToken { get; set; } = "";
    [YamlMember(Alias = "hs_token")] public string HsToken { get; set; } = "";
    [YamlMember(Alias = "sender_localpart")] public string SenderLocalpart { get; set; } = "";

    /// <summary>
    /// Written false. Dendrite parses it, defaults it to true and only warns that it is unimplemented; requests by
    /// an application-service device are never rate limited anyway (internal/httputil/rate_limiting.go).
    /// </summary>
    [YamlMember(Alias = "rate_limited")] public bool RateLimited { get; set; }

    [YamlMember(Alias = "namespaces")] public Dictionary<string, List<AppServiceNamespace>> Namespaces { get; set; } = [];
}

/// <summary>One namespace regex (Go RE2 syntax, matched unanchored: anchor it).</summary>
public sealed class AppServiceNamespace
{
    [YamlMember(Alias = "exclusive")] public bool Exclusive { get; set; }
    [YamlMember(Alias = "regex")] public string Regex { get; set; } = "";
}
