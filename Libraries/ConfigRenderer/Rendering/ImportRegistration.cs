using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using DendriteAspire.ConfigRenderer.Model;
using DendriteAspire.ConfigRenderer.Settings;
using DendriteAspire.ConfigRenderer.Yaml;

namespace DendriteAspire.ConfigRenderer.Rendering;

/// <summary>
/// The Slack import's application-service registration (<see cref="ImportSettings"/>): a users namespace over this
/// server's users, not exclusive (the family keeps registering and signing in as before); no room or alias
/// namespace; no URL, so Dendrite pushes nothing. Dendrite loads it from <c>app_service_api.config_files</c> at
/// start only, so turning the import on or off takes a restart.
/// </summary>
public static class ImportRegistration
{
    /// <summary>The registration's id.</summary>
    public const string Id = "dendrite-aspire-slack-import";

    /// <summary>The import's own account (<c>sender_localpart</c>); Dendrite creates it at start.</summary>
    public const string SenderLocalpart = "slack-import";

    /// <summary>The shortest token accepted: it speaks for every local user.</summary>
    public const int MinimumTokenLength = 32;

    /// <summary>The registration YAML, or null when the import is off.</summary>
    public static string? Render(DendriteSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.Import.Enabled || string.IsNullOrEmpty(settings.Import.Token))
        {
            return null;
        }

        var registration = new AppServiceRegistration
        {
            Id = Id,
            AsToken = settings.Import.Token,
            // Dendrite requires an hs_token; with no URL it is never sent anywhere. Derived, so no second secret.
            HsToken = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("hs_token:" + settings.Import.Token))),
            SenderLocalpart = SenderLocalpart,
            RateLimited = false,
            Namespaces = new(StringComparer.Ordinal)
            {
                ["users"] = [new AppServiceNamespace { Exclusive = false, Regex = UsersRegex(settings.ServerName) }],
            },
        };
        return DendriteYaml.SerializeDocument(registration);
    }

    /// <summary>Every user of <paramref name="serverName"/>: <c>^@.*:family\.example$</c>.</summary>
    public static string UsersRegex(string serverName) => "^@.*:" + Regex.Escape(serverName ?? "") + "$";
}
