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
    internal static readonly IReadOnlyList<string> Keys = [nameof(HostPort), nameof(PublicUrl), nameof(TrustedProxies)];

    /// <summary>The keys of the <c>Dendrite:Family</c> section.</summary>
    internal static readonly IReadOnlyList<string> FamilyKeys = ["RoomName"];

    /// <summary>The host port locally, fixed so links stay valid across restarts; 0 lets Aspire choose one.</summary>
    public int HostPort { get; init; } = DefaultHostPort;

    /// <summary>Where relatives open links, when not derived from the Ingress or the host port.</summary>
    public string? PublicUrl { get; init; }

    /// <summary>The family room's name (<c>Dendrite:Family:RoomName</c>).</summary>
    public string FamilyRoomName { get; init; } = "Family";

    /// <summary>
    /// What a published cluster trusts to say who the client is (<c>X-Forwarded-For</c>) when
    /// <c>Dendrite:Onboarding:TrustedProxies</c> is not set: the private ranges an Ingress controller's pod connects from.
    /// </summary>
    public static IReadOnlyList<string> ClusterTrustedProxies { get; } = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"];

    /// <summary>
    /// The proxy networks the published onboarding pod trusts (<c>Dendrite:Onboarding:TrustedProxies</c>, a
    /// comma-separated list; narrow it to the Ingress controller's pod network when you know it). Locally nothing is
    /// trusted: no proxy stands in front of the service.
    /// </summary>
    public IReadOnlyList<string> TrustedProxies { get; init; } = ClusterTrustedProxies;

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

        foreach (var proxy in TrustedProxies)
        {
            if (!IsNetwork(proxy))
            {
                errors.Add(new(FindingSeverity.Error, $"{SectionName}:TrustedProxies", $"\"{proxy}\" is not a network; list ranges such as 10.0.0.0/8 or single addresses such as 10.1.2.3, separated by commas"));
            }
        }

        if (FamilyRoomName.Length > 100)
        {
            errors.Add(new(FindingSeverity.Error, $"{FamilySectionName}:RoomName", "the room name is longer than 100 characters; pick a shorter one"));
        }

        return errors;
    }

    private static bool IsNetwork(string text) =>
        text.Contains('/', StringComparison.Ordinal) ? System.Net.IPNetwork.TryParse(text, out _) : System.Net.IPAddress.TryParse(text, out _);
}
