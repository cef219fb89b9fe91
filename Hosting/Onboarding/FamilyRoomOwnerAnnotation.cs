namespace DendriteAspire.Hosting;

/// <summary>
/// The service account that owns a family room (<c>family-rooms</c>), put on the Dendrite resource by
/// <see cref="OnboardingBuilderExtensions.AddFamilyOnboarding"/>. Dendrite's bootstrap step (the AppHost locally, the
/// bootstrap Job in the cluster) makes the account once, not as a server admin, and hands over a room the bootstrap
/// admin made before the account existed: the admin raises it to power level 100 there and invites it. The onboarding
/// service holds only this account's password, never the bootstrap admin's.
/// </summary>
/// <param name="userName">The account's localpart, <c>family-rooms</c>.</param>
/// <param name="password">The secret parameter with its password (<c>&lt;onboarding&gt;-room-owner-password</c>).</param>
/// <param name="roomAliasName">The family room's alias localpart, <c>family</c> for <c>#family:server</c>.</param>
public sealed class FamilyRoomOwnerAnnotation(string userName, ParameterResource password, string roomAliasName) : IResourceAnnotation
{
    /// <summary>The account's localpart.</summary>
    public string UserName { get; } = userName;

    /// <summary>The secret parameter with the account's password; its value is never logged.</summary>
    public ParameterResource Password { get; } = password;

    /// <summary>The family room's alias localpart.</summary>
    public string RoomAliasName { get; } = roomAliasName;

    /// <summary>What people see as the account's name.</summary>
    public static string DisplayName => DendriteAspire.Onboarding.OnboardingOptions.RoomOwnerDisplayName;
}
