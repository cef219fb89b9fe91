using DendriteAspire.ConfigRenderer.Rendering;

namespace DendriteAspire.Hosting;

/// <summary>
/// Element Web's options (the <c>Dendrite:Client</c> keys): whether it runs, which image, the host port and the URL
/// browsers use. Bound by <see cref="Configuration.DendriteConfiguration.Bind"/>, or made in code.
/// </summary>
public sealed class ElementWebOptions : IResourceAnnotation
{
    internal const string SectionName = DendriteHostOptions.SectionName + ":Client";

    internal const int DefaultHostPort = 8080;

    /// <summary>The keys of the <c>Dendrite:Client</c> section.</summary>
    internal static readonly IReadOnlyList<string> Keys = [nameof(Enabled), nameof(Registry), nameof(Image), nameof(ImageTag), nameof(HostPort), nameof(PublicUrl)];

    /// <summary>Whether Element Web runs (it does unless set to false).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The image's registry, e.g. <c>docker.io</c>.</summary>
    public string Registry { get; init; } = ElementContainerImageTags.Registry;

    /// <summary>The image, e.g. <c>vectorim/element-web</c>.</summary>
    public string Image { get; init; } = ElementContainerImageTags.Image;

    /// <summary>A release tag, e.g. <c>v1.11.31</c>; never <c>latest</c>.</summary>
    public string ImageTag { get; init; } = ElementContainerImageTags.Tag;

    /// <summary>The host port locally; 0 lets Aspire choose one.</summary>
    public int HostPort { get; init; } = DefaultHostPort;

    /// <summary>Where browsers reach Element, when not derived (for example behind a reverse proxy of your own).</summary>
    public string? PublicUrl { get; init; }

    /// <summary>Problems with the keys, each naming its key path and the fix.</summary>
    internal IReadOnlyList<ConfigFinding> Validate()
    {
        var errors = new List<ConfigFinding>();
        if (!IsReleaseTag(ImageTag))
        {
            errors.Add(Error("ImageTag", $"\"{ImageTag}\" is not a release tag; pin one such as {ElementContainerImageTags.Tag} (never latest or develop, which change under you)"));
        }

        if (HostPort is < 0 or > 65535)
        {
            errors.Add(Error("HostPort", $"{HostPort} is not a port; use 1-65535, or 0 to let Aspire choose"));
        }

        if (PublicUrl is not null && !PublicUrls.IsHttpUrl(PublicUrl))
        {
            errors.Add(Error("PublicUrl", $"\"{PublicUrl}\" is not an http(s) URL; use one such as https://chat.family.example"));
        }

        return errors;
    }

    /// <summary>Element tags are <c>v1.11.31</c>, or the same without the <c>v</c>.</summary>
    private static bool IsReleaseTag(string tag) => ReleaseTag.TryParse(tag.StartsWith('v') ? tag : "v" + tag, out _);

    private static ConfigFinding Error(string key, string message) => new(FindingSeverity.Error, $"{SectionName}:{key}", message);
}
