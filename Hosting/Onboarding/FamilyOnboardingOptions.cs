using DendriteAspire.ConfigRenderer.Rendering;

namespace DendriteAspire.Hosting;

/// <summary>
/// The onboarding service's options (the <c>Dendrite:Onboarding</c> and <c>Dendrite:Family</c> keys): its host port
/// and public URL, and the room every relative joins. Bound by <see cref="Configuration.DendriteConfiguration.Bind"/>,
/// or made in code.
/// </summary>
public sealed class FamilyOnboardingOptions : IResourceAnnotation
{
    internal const string SectionName = DendriteHostOptions.SectionName + ":Onboarding";
    internal const string FamilySectionName = DendriteHostOptions.SectionName + ":Family";

    internal const int DefaultHostPort = 8010;

    /// <summary>The keys of the <c>Dendrite:Onboarding</c> section.</summary>
    internal static readonly IReadOnlyList<string> Keys = [nameof(HostPort), nameof(PublicUrl)];

    /// <summary>The keys of the <c>Dendrite:Family</c> section.</summary>
    internal static readonly IReadOnlyList<string> FamilyKeys = ["RoomName"];

    /// <summary>The host port locally, fixed so links stay valid across restarts; 0 lets Aspire choose one.</summary>
    public int HostPort { get; init; } = DefaultHostPort;

    /// <summary>Where relatives open links, when not derived from the Ingress or the host port.</summary>
    public string? PublicUrl { get; init; }

    /// <summary>The family room's name (<c>Dendrite:Family:RoomName</c>).</summary>
    public string FamilyRoomName { get; init; } = "Family";

    /// <summary>Problems with the keys, each naming its key path and the fix.</summary>
    internal IReadOnlyList<ConfigFinding> Validate()
    {
        var errors = new List<ConfigFinding>();
        if (HostPort is < 0 or > 65535)
        {
            errors.Add(new(FindingSeverity.Error, $"{SectionName}:HostPort", $"{HostPort} is not a port; use 1-65535, or 0 to let Aspire choose (links then change on every run)"));
        }

        if (PublicUrl is not null && !PublicUrls.IsHttpUrl(PublicUrl))
        {
            errors.Add(new(FindingSeverity.Error, $"{SectionName}:PublicUrl", $"\"{PublicUrl}\" is not an http(s) URL; use one such as https://join.family.example"));
        }

        if (FamilyRoomName.Length > 100)
        {
            errors.Add(new(FindingSeverity.Error, $"{FamilySectionName}:RoomName", "the room name is longer than 100 characters; pick a shorter one"));
        }

        return errors;
    }
}
