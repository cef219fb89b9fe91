using DendriteAspire.ConfigRenderer.Rendering;
using Microsoft.Extensions.Configuration;

namespace DendriteAspire.Hosting;

/// <summary>
/// The <c>Dendrite:Client</c> keys: whether Element Web runs, which image, the host port and the URL browsers use.
/// </summary>
internal sealed class ElementHostOptions : IResourceAnnotation
{
    public const string SectionName = DendriteHostOptions.SectionName + ":Client";

    public const int DefaultHostPort = 8080;

    public bool Enabled { get; init; } = true;
    public string Registry { get; init; } = ElementContainerImageTags.Registry;
    public string Image { get; init; } = ElementContainerImageTags.Image;
    public string ImageTag { get; init; } = ElementContainerImageTags.Tag;

    /// <summary>The host port locally; 0 lets Aspire choose one.</summary>
    public int HostPort { get; init; } = DefaultHostPort;

    /// <summary>Where browsers reach Element, when not derived (for example behind a reverse proxy of your own).</summary>
    public string? PublicUrl { get; init; }

    public static ElementHostOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var defaults = new ElementHostOptions();
        return new ElementHostOptions
        {
            Enabled = section.GetValue("Enabled", defaults.Enabled),
            Registry = NonEmpty(section["Registry"]) ?? defaults.Registry,
            Image = NonEmpty(section["Image"]) ?? defaults.Image,
            ImageTag = NonEmpty(section["ImageTag"]) ?? defaults.ImageTag,
            HostPort = section.GetValue("HostPort", defaults.HostPort),
            PublicUrl = NonEmpty(section["PublicUrl"]),
        };
    }

    /// <summary>Problems with the keys, each naming its key path and the fix.</summary>
    public IReadOnlyList<ConfigFinding> Validate()
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

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
