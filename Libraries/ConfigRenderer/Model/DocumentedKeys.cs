namespace DendriteAspire.ConfigRenderer.Model;

/// <summary>
/// Config keys that only some of the Dendrite versions the project supports (v0.13.8 to v0.15.2) read. The linter
/// accepts the union of every version's keys: an older Dendrite silently ignores a newer key, which is harmless, while
/// calling a key unknown that the running Dendrite reads would be a false alarm. The renderer does not write these
/// keys by default. Lists are written as <c>[]</c>.
/// </summary>
public static class DocumentedKeys
{
    /// <summary>Keys newer than v0.13.8, with the version that added them. No key was removed up to v0.15.2.</summary>
    public static readonly IReadOnlyDictionary<string, string> NewerThanV0138 = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["federation_api.deny_networks"] = "added in v0.14.1",
        ["federation_api.allow_networks"] = "added in v0.14.1",
        ["global.jetstream.js_domain"] = "added in v0.15.0",
    };
}
