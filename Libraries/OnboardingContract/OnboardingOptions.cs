using System.Net;

namespace DendriteAspire.Onboarding;

/// <summary>
/// The <c>Onboarding</c> configuration section: the one contract between the AppHost and the onboarding service.
/// The AppHost sets every key as an environment variable named by <see cref="EnvironmentVariable"/> (so a renamed
/// property breaks its build, not a running service); the service binds the section into this type and validates it
/// at start (<see cref="Problems"/>), so a missing or wrong value stops it with the value's name. Secrets arrive this
/// way too and never reach a page.
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

    /// <summary>Dendrite as this service reaches it (service discovery resolves <c>http://dendrite</c>).</summary>
    public Uri DendriteUrl { get; set; } = new("http://dendrite");

    /// <summary>The homeserver's registration shared secret, for creating accounts; unset means none can be created.</summary>
    public string? RegistrationSecret { get; set; }

    /// <summary>
    /// The bootstrap admin's user name, only so that the admin page refuses to reset its password or remove its access.
    /// The service never holds its password.
    /// </summary>
    public string? AdminUserName { get; set; }

    /// <summary>
    /// The service account that owns the family room (<see cref="DefaultRoomOwnerUserName"/>): not a server admin, only
    /// the room's admin (power level 100). It creates the room, and invites each new relative.
    /// </summary>
    public string RoomOwnerUserName { get; set; } = DefaultRoomOwnerUserName;

    /// <summary>The room owner's password (the AppHost's <c>&lt;name&gt;-room-owner-password</c> parameter).</summary>
    public string? RoomOwnerPassword { get; set; }

    /// <summary>The room owner's user name unless set otherwise: <c>family-rooms</c>.</summary>
    public const string DefaultRoomOwnerUserName = "family-rooms";

    /// <summary>What people see as the room owner's name in the room's member list.</summary>
    public const string RoomOwnerDisplayName = "Family rooms (onboarding service account)";

    /// <summary>Element Web, preconfigured for this homeserver; unset when it is switched off.</summary>
    public Uri? ElementUrl { get; set; }

    /// <summary>The room every new relative joins.</summary>
    public string FamilyRoomName { get; set; } = "Family";

    /// <summary>Where the invite list and the data-protection keys live (the <c>onboarding-data</c> volume).</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Shortest password accepted on the join page.</summary>
    public int MinimumPasswordLength { get; set; } = 10;

    /// <summary>Hours a link stays valid when the admin does not say (<see cref="Api.InviteRequest.DefaultExpiresInHours"/>).</summary>
    public int DefaultExpiryHours { get; set; } = Api.InviteRequest.DefaultExpiresInHours;

    /// <summary>Longest validity, in hours, an admin may give a link.</summary>
    public int MaximumExpiryHours { get; set; } = 90 * 24;

    /// <summary>Join attempts and sign-ins allowed per client address and minute.</summary>
    public int JoinAttemptsPerMinute { get; set; } = 10;

    /// <summary>Invites an address may create per minute.</summary>
    public int InvitesPerMinute { get; set; } = 20;

    /// <summary>
    /// The proxies (networks like <c>10.0.0.0/8</c>, or single addresses) whose <c>X-Forwarded-For</c> names the
    /// client. Empty (the default, and the local run): forwarded headers are ignored and the connection's address
    /// counts. The Kubernetes publisher sets <c>Dendrite:Onboarding:TrustedProxies</c> here, by default the private
    /// ranges an Ingress controller's pod connects from (<c>Onboarding__TrustedProxies__0</c>, ...).
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>True when <see cref="HomeserverUrl"/> only works on the machine that runs the homeserver.</summary>
    public bool HomeserverUrlIsLoopback => IsLoopback(HomeserverUrl);

    /// <summary><c>localhost</c>, <c>127.0.0.1</c>, <c>[::1]</c> and the like: the device itself, wherever it is typed.</summary>
    /// <param name="url">The URL.</param>
    /// <returns>True when the URL names the device it is opened on.</returns>
    public static bool IsLoopback(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.IsLoopback
            || url.Host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
    }

    /// <summary>The user id a localpart gets on this homeserver.</summary>
    /// <param name="userName">The localpart, e.g. <c>grandma</c>.</param>
    /// <returns><c>@grandma:ServerName</c>.</returns>
    public string UserId(string userName) => $"@{userName}:{ServerName}";

    /// <summary>The environment variable that sets a key: <c>Onboarding__PublicUrl</c> for <c>nameof(PublicUrl)</c>.</summary>
    /// <param name="property">The property's name; pass <c>nameof(OnboardingOptions.X)</c>.</param>
    /// <returns>The variable's name.</returns>
    public static string EnvironmentVariable(string property)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(property);
        return typeof(OnboardingOptions).GetProperty(property) is null
            ? throw new ArgumentException($"OnboardingOptions has no property '{property}'.", nameof(property))
            : $"{SectionName}__{property}";
    }

    /// <summary>What is missing or wrong, each naming its key (<c>Onboarding:InviteSecret: ...</c>).</summary>
    /// <returns>No entries when the options can serve.</returns>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        void Problem(string key, string message) => problems.Add($"{SectionName}:{key}: {message}");

        foreach (var (key, url) in new[] { (nameof(PublicUrl), PublicUrl), (nameof(HomeserverUrl), HomeserverUrl), (nameof(DendriteUrl), DendriteUrl), (nameof(ElementUrl), ElementUrl) })
        {
            if (url is not null && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
            {
                Problem(key, $"\"{url}\" is not an absolute http(s) URL");
            }
        }

        if (string.IsNullOrWhiteSpace(InviteSecret))
        {
            Problem(nameof(InviteSecret), "is required: links are signed with it (the AppHost sets it from its invite secret parameter)");
        }

        if (string.IsNullOrWhiteSpace(ServerName))
        {
            Problem(nameof(ServerName), "is required: user ids are @name:ServerName");
        }

        if (string.IsNullOrWhiteSpace(RoomOwnerUserName))
        {
            Problem(nameof(RoomOwnerUserName), "is required: the family room's owner signs in with it");
        }

        if (string.IsNullOrWhiteSpace(FamilyRoomName))
        {
            Problem(nameof(FamilyRoomName), "is required: every relative joins this room");
        }

        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            Problem(nameof(DataDirectory), "is required: invites and keys are kept there");
        }

        foreach (var (key, value) in new[] { (nameof(MinimumPasswordLength), MinimumPasswordLength), (nameof(DefaultExpiryHours), DefaultExpiryHours), (nameof(MaximumExpiryHours), MaximumExpiryHours), (nameof(JoinAttemptsPerMinute), JoinAttemptsPerMinute), (nameof(InvitesPerMinute), InvitesPerMinute) })
        {
            if (value < 1)
            {
                Problem(key, $"{value} must be 1 or more");
            }
        }

        for (var i = 0; i < TrustedProxies.Count; i++)
        {
            if (!string.IsNullOrWhiteSpace(TrustedProxies[i]) && !IsNetwork(TrustedProxies[i].Trim()))
            {
                Problem($"{nameof(TrustedProxies)}:{i}", $"'{TrustedProxies[i]}' is not a network: write an address range such as 10.0.0.0/8 or a single address such as 10.1.2.3");
            }
        }

        if (DefaultExpiryHours > MaximumExpiryHours)
        {
            Problem(nameof(DefaultExpiryHours), $"{DefaultExpiryHours} is more than MaximumExpiryHours ({MaximumExpiryHours})");
        }

        return problems;
    }

    /// <summary>Lower-case letters and digits of the name, other runs as one '-': "Our Family" is <c>our-family</c>.</summary>
    /// <param name="roomName">The room's name, e.g. <see cref="FamilyRoomName"/>.</param>
    /// <returns>The localpart of the room's alias, <c>family</c> when nothing is left.</returns>
    public static string RoomAliasName(string roomName)
    {
        ArgumentNullException.ThrowIfNull(roomName);
        var chars = new List<char>();
        foreach (var c in roomName.Trim().ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                chars.Add(c);
            }
            else if (chars.Count > 0 && chars[^1] != '-')
            {
                chars.Add('-');
            }
        }

        var alias = new string([.. chars]).Trim('-');
        return alias.Length == 0 ? "family" : alias;
    }

    private static bool IsNetwork(string text) =>
        text.Contains('/', StringComparison.Ordinal) ? IPNetwork.TryParse(text, out _) : IPAddress.TryParse(text, out _);
}
