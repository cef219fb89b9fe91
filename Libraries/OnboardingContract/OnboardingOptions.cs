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

    /// <summary>The bootstrap admin's user name, who owns the family room; set together with <see cref="AdminPassword"/>.</summary>
    public string? AdminUserName { get; set; }

    /// <summary>The bootstrap admin's password.</summary>
    public string? AdminPassword { get; set; }

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

        if (string.IsNullOrWhiteSpace(AdminUserName) != string.IsNullOrWhiteSpace(AdminPassword))
        {
            Problem(string.IsNullOrWhiteSpace(AdminUserName) ? nameof(AdminUserName) : nameof(AdminPassword),
                "the bootstrap admin needs both AdminUserName and AdminPassword, or neither");
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

        if (DefaultExpiryHours > MaximumExpiryHours)
        {
            Problem(nameof(DefaultExpiryHours), $"{DefaultExpiryHours} is more than MaximumExpiryHours ({MaximumExpiryHours})");
        }

        return problems;
    }
}
