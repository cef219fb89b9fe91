using DendriteAspire.ConfigRenderer.Validation;

namespace DendriteAspire.ConfigRenderer.Lint;

/// <summary>
/// Messages for keys Dendrite does not know (<see cref="EffectiveDocument"/> finds them). Dendrite ignores them silently, so a misspelled key quietly does nothing; they
/// are warnings, each with a suggestion or the reason a section no longer exists.
/// </summary>
internal static class UnknownKeys
{
    private static readonly Dictionary<string, string> Removed = new(StringComparer.Ordinal)
    {
        ["kafka"] = "Kafka was replaced by NATS JetStream in v0.6; configure global.jetstream instead",
        ["federation_sender"] = "it was merged into federation_api in 2021",
        ["signing_key_server"] = "it was merged into federation_api in 2021",
        ["edu_server"] = "it was removed in 2022",
        ["server_key_api"] = "it was merged into federation_api",
        ["device_database"] = "devices live in user_api.account_database since 2022",
        ["federation_certificates"] = "it was removed in 2022",
        ["proxy_outbound"] = "it was removed in 2022",
        ["internal_api"] = "polylith listen blocks were removed in v0.12.0",
        ["external_api"] = "polylith listen blocks were removed in v0.12.0",
        ["virtual_hosts"] = "Dendrite cannot read virtual hosts from YAML",
    };

    /// <summary>The warning for an unknown key: why it is gone, or the closest known key.</summary>
    public static string Message(string key, IEnumerable<string> known)
    {
        if (Removed.TryGetValue(key, out var reason))
        {
            return $"unknown key, Dendrite ignores it: {reason}; remove it";
        }

        var suggestion = Suggestion.Closest(key, known);
        return suggestion is not null
            ? $"unknown key, Dendrite ignores it; did you mean \"{suggestion}\"?"
            : "unknown key, Dendrite ignores it; remove it or check the spelling against dendrite.md";
    }
}
