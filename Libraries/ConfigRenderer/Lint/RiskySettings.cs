using DendriteAspire.ConfigRenderer.Model;
using DendriteAspire.ConfigRenderer.Rendering;

namespace DendriteAspire.ConfigRenderer.Lint;

/// <summary>Settings Dendrite accepts that are probably not what a family admin wants.</summary>
internal static class RiskySettings
{
    public static IEnumerable<ConfigFinding> Find(DendriteConfig config)
    {
        var global = config.Global ?? new GlobalConfig();
        if (global.Metrics?.Enabled == true &&
            (string.IsNullOrEmpty(global.Metrics.BasicAuth?.Username) || string.IsNullOrEmpty(global.Metrics.BasicAuth?.Password)))
        {
            yield return Warning("global.metrics.basic_auth",
                "metrics are enabled without a username and password, so /metrics is open to anyone; set basic_auth.username and basic_auth.password");
        }

        var clientApi = config.ClientApi ?? new ClientApiConfig();
        if (clientApi.RegistrationDisabled != false && string.IsNullOrEmpty(clientApi.RegistrationSharedSecret))
        {
            yield return Warning("client_api.registration_shared_secret",
                "is empty while registration is disabled, so there is no way to create users; set a long random secret and create accounts with it (" + Validation.AccountCreation.Tools + ")");
        }

        if (clientApi.Turn is { TurnUris.Count: > 0 } turn && string.IsNullOrEmpty(turn.TurnUserLifetime))
        {
            yield return Warning("client_api.turn.turn_user_lifetime",
                "is empty while turn_uris are set, so Dendrite's /voip/turnServer hands clients no TURN server at all; set it to e.g. 5m");
        }

        if (clientApi.RateLimiting?.Enabled == false)
        {
            yield return Warning("client_api.rate_limiting.enabled", "is false, so one client can flood the server; enable it (threshold 20, cooloff_ms 500)");
        }

        if (config.FederationApi?.DisableTlsValidation == true)
        {
            yield return Warning("federation_api.disable_tls_validation", "is true, so federation traffic can be intercepted; set it to false");
        }

        if (config.AppServiceApi?.DisableTlsValidation == true)
        {
            yield return Warning("app_service_api.disable_tls_validation", "is true, so appservice traffic can be intercepted; set it to false");
        }

        if (config.UserApi?.PushGatewayDisableTlsValidation == true)
        {
            yield return Warning("user_api.push_gateway_disable_tls_validation", "is true, so push notifications can be intercepted; set it to false");
        }

        if (global.JetStream?.InMemory == true)
        {
            yield return Warning("global.jetstream.in_memory", "is true, so every queued event is lost on restart; set it to false and give a storage_path");
        }

        if (global.JetStream is { DisableTlsValidation: true, Addresses.Count: > 0 })
        {
            yield return Warning("global.jetstream.disable_tls_validation", "is true with an external NATS server, so its traffic can be intercepted; set it to false");
        }

        if (config.SyncApi?.Search?.InMemory == true)
        {
            yield return Warning("sync_api.search.in_memory", "is true, so the search index is rebuilt empty on every restart; set it to false");
        }

        foreach (var (path, value) in Paths(config))
        {
            if (!string.IsNullOrEmpty(value) && !value.StartsWith('/'))
            {
                yield return Warning(path, $"\"{value}\" is relative, so it resolves against Dendrite's working directory (/etc/dendrite in the image, often read-only); use an absolute path");
            }
        }
    }

    private static IEnumerable<(string Path, string? Value)> Paths(DendriteConfig config) =>
    [
        ("global.private_key", config.Global?.PrivateKey),
        ("global.jetstream.storage_path", config.Global?.JetStream?.StoragePath),
        ("media_api.base_path", config.MediaApi?.BasePath),
        ("sync_api.search.index_path", config.SyncApi?.Search?.Enabled == true ? config.SyncApi.Search.IndexPath : null),
    ];

    private static ConfigFinding Warning(string path, string message) => new(FindingSeverity.Warning, path, message);
}
