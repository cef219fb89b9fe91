namespace DendriteAspire.ConfigRenderer.Model;

/// <summary>
/// Config keys that are not in Dendrite's v0.13.8 sample config (shared/reference/dendrite-sample-v0.13.8.yaml) but
/// that the renderer may write, each with the reason it is safe. Lists are written as <c>[]</c>.
/// </summary>
public static class DocumentedKeys
{
    /// <summary>Keys newer than v0.13.8. Older Dendrites ignore them, but the renderer does not write them by default.</summary>
    public static readonly IReadOnlyDictionary<string, string> NewerThanV0138 = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["federation_api.deny_networks"] = "added in v0.14.1",
        ["federation_api.allow_networks"] = "added in v0.14.1",
        ["global.jetstream.js_domain"] = "added in v0.15.0",
    };

    /// <summary>Keys in the v0.13.8 schema that the sample leaves out or only shows in comments.</summary>
    public static readonly IReadOnlyDictionary<string, string> InV0138SchemaNotInSample = Build();

    private static Dictionary<string, string> Build()
    {
        const string componentDatabase = "v0.13.8 schema; SQLite mode needs one per component (dendrite.md 1.5), the sample uses the global pool";
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var section in new[] { "federation_api.database", "key_server.database", "media_api.database", "room_server.database", "sync_api.database", "user_api.account_database", "relay_api.database", "mscs.database" })
        {
            keys[section] = componentDatabase;
            keys[section + ".connection_string"] = componentDatabase;
        }

        keys["key_server"] = componentDatabase;
        keys["room_server"] = componentDatabase;
        keys["relay_api"] = componentDatabase;
        keys["client_api.registration_requires_token"] = "v0.13.8 schema (config_clientapi.go), not in the sample";
        keys["client_api.recaptcha_siteverify_api"] = "v0.13.8 schema, commented out in the sample";
        keys["client_api.recaptcha_api_js_url"] = "v0.13.8 schema, commented out in the sample";
        keys["client_api.recaptcha_form_field"] = "v0.13.8 schema, commented out in the sample";
        keys["client_api.recaptcha_sitekey_class"] = "v0.13.8 schema, commented out in the sample";
        keys["client_api.turn.turn_username"] = "v0.13.8 schema, commented out in the sample";
        keys["client_api.turn.turn_password"] = "v0.13.8 schema, commented out in the sample";
        return keys;
    }
}
