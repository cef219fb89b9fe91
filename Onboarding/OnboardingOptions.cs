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

    /// <summary>The user id a localpart gets on this homeserver.</summary>
    public string UserId(string userName) => $"@{userName}:{ServerName}";
}
