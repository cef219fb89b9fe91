using System.Net;

namespace DendriteAspire.Onboarding;

/// <summary>
/// The <c>Onboarding</c> configuration section. The AppHost sets every key from the same model that runs Dendrite
/// and Element Web; secrets arrive as environment variables and never reach a page.
/// </summary>
public sealed class OnboardingOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Onboarding";

    /// <summary>Where relatives reach this service, e.g. <c>http://localhost:8010</c>; links start with it.</summary>
    public Uri PublicUrl { get; set; } = new("http://localhost:8010");

    /// <summary>The key invite links are signed with. Rotating it revokes every open link.</summary>
    public string InviteSecret { get; set; } = string.Empty;

    /// <summary>The homeserver's <c>server_name</c>: user ids are <c>@name:ServerName</c>.</summary>
    public string ServerName { get; set; } = "localhost";

    /// <summary>The homeserver URL a phone or browser uses (what a person types into a mobile app).</summary>
    public Uri HomeserverUrl { get; set; } = new("http://localhost:8008");

    /// <summary>Element Web, preconfigured for this homeserver; unset when it is switched off.</summary>
    public Uri? ElementUrl { get; set; }

    /// <summary>The room every new relative joins.</summary>
    public string FamilyRoomName { get; set; } = "Family";

    /// <summary>Where the invite list and the data-protection keys live (the <c>onboarding-data</c> volume).</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Shortest password accepted on the join page.</summary>
    public int MinimumPasswordLength { get; set; } = 10;

    /// <summary>Days a link stays valid when the admin does not say.</summary>
    public int DefaultExpiryHours { get; set; } = 7 * 24;

    /// <summary>Longest validity an admin may give a link.</summary>
    public int MaximumExpiryHours { get; set; } = 90 * 24;

    /// <summary>Join attempts and sign-ins allowed per client address and minute.</summary>
    public int JoinAttemptsPerMinute { get; set; } = 10;

    /// <summary>Invites an address may create per minute.</summary>
    public int InvitesPerMinute { get; set; } = 20;

    /// <summary>
    /// The proxies (networks like <c>10.0.0.0/8</c>, or single addresses) whose <c>X-Forwarded-For</c> names the
    /// client. Empty (the default, and the local run): forwarded headers are ignored and the connection's address
    /// counts. The Kubernetes publisher sets <c>Dendrite:Onboarding:TrustedProxies</c> here, by default the private
    /// ranges an Ingress controller's pod connects from.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>The parsed <see cref="TrustedProxies"/>; call <see cref="Validate"/> first.</summary>
    public IReadOnlyList<IPNetwork> TrustedProxyNetworks() =>
        [.. TrustedProxies.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => ProxyTrust.TryParse(t, out var network) ? network : throw new FormatException(t))];

    /// <summary>True when <see cref="HomeserverUrl"/> only works on the machine that runs the homeserver.</summary>
    public bool HomeserverUrlIsLoopback => IsLoopback(HomeserverUrl);

    /// <summary>Problems with the settings, each naming the key and the fix; empty when they hold.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        for (var i = 0; i < TrustedProxies.Count; i++)
        {
            if (!string.IsNullOrWhiteSpace(TrustedProxies[i]) && !ProxyTrust.TryParse(TrustedProxies[i], out _))
            {
                problems.Add($"{SectionName}:TrustedProxies:{i} is '{TrustedProxies[i]}', not a network: write an address range such as 10.0.0.0/8 or a single address such as 10.1.2.3.");
            }
        }

        if (JoinAttemptsPerMinute < 1 || InvitesPerMinute < 1)
        {
            problems.Add($"{SectionName}:JoinAttemptsPerMinute and {SectionName}:InvitesPerMinute must be at least 1.");
        }

        return problems;
    }

    /// <summary><c>localhost</c>, <c>127.0.0.1</c>, <c>[::1]</c> and the like: the device itself, wherever it is typed.</summary>
    public static bool IsLoopback(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.IsLoopback
            || url.Host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
    }

    /// <summary>The user id a localpart gets on this homeserver.</summary>
    public string UserId(string userName) => $"@{userName}:{ServerName}";
}
