using System.Text.Json;
using System.Text.Json.Nodes;

namespace DendriteAspire.Hosting;

/// <summary>
/// Element Web's <c>config.json</c>: this homeserver as the default and only server, and nothing that would send
/// a relative elsewhere (no guests, no third-party ids, no registration, no identity server). It holds no secrets.
/// </summary>
internal static class ElementConfigFile
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <param name="homeserverUrl">The client API as a browser reaches it.</param>
    /// <param name="serverName">The homeserver's <c>server_name</c>.</param>
    public static string Render(string homeserverUrl, string serverName)
    {
        var config = new JsonObject
        {
            ["default_server_config"] = new JsonObject
            {
                ["m.homeserver"] = new JsonObject
                {
                    ["base_url"] = homeserverUrl,
                    ["server_name"] = serverName,
                },
            },
            ["disable_custom_urls"] = true,
            ["disable_guests"] = true,
            ["disable_3pid_login"] = true,
            ["disable_login_language_selector"] = false,
            ["brand"] = "Family chat",
            ["default_theme"] = "light",
            ["room_directory"] = new JsonObject { ["servers"] = new JsonArray(serverName) },
            ["setting_defaults"] = new JsonObject
            {
                ["UIFeature.registration"] = false,
                ["UIFeature.passwordReset"] = false,
                ["UIFeature.identityServer"] = false,
                ["UIFeature.thirdPartyId"] = false,
                ["UIFeature.deactivate"] = false,
            },
            ["show_labs_settings"] = false,
        };
        return config.ToJsonString(Indented) + "\n";
    }
}
