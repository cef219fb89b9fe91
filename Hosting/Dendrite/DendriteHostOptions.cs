using System.Text.RegularExpressions;
using DendriteAspire.ConfigRenderer.Rendering;

namespace DendriteAspire.Hosting;

/// <summary>
/// The keys of the <c>Dendrite</c> configuration section that belong to the host rather than to
/// <c>dendrite.yaml</c>: which image runs, what the volumes are called and which host port serves clients.
/// </summary>
internal sealed partial class DendriteHostOptions : IResourceAnnotation
{
    public const string SectionName = "Dendrite";

    /// <summary>Top-level keys of the section that ConfigRenderer's settings binder must leave alone.</summary>
    public static readonly IReadOnlySet<string> Keys =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Image", "ImageTag", "Registry", "VolumePrefix", "HostPort", "Lifetime", "Kubernetes", "Client", "Onboarding", "Family", "Admin", "Backup" };

    /// <summary>The volume prefix when none is set.</summary>
    public const string DefaultVolumePrefix = "dendriteaspire";

    public string Registry { get; init; } = DendriteContainerImageTags.Registry;
    public string Image { get; init; } = DendriteContainerImageTags.Image;
    public string ImageTag { get; init; } = DendriteContainerImageTags.Tag;
    public string VolumePrefix { get; init; } = DefaultVolumePrefix;
    public int HostPort { get; init; } = DendriteResource.HttpPort;
    public ContainerLifetime Lifetime { get; init; } = ContainerLifetime.Session;

    /// <summary>The host's part of the options, as the annotation every <c>WithX</c> reads.</summary>
    public static DendriteHostOptions From(DendriteOptions options) => new()
    {
        Registry = options.Registry,
        Image = options.Image,
        ImageTag = options.ImageTag,
        VolumePrefix = options.VolumePrefix,
        HostPort = options.HostPort,
        Lifetime = options.Lifetime,
    };

    /// <summary>Problems with the host keys, each naming its key path and the fix.</summary>
    public IReadOnlyList<ConfigFinding> Validate()
    {
        var errors = new List<ConfigFinding>();
        if (!ReleaseTag.TryParse(ImageTag, out var version))
        {
            errors.Add(Error("ImageTag", $"\"{ImageTag}\" is not a release tag; pin one such as {DendriteContainerImageTags.Tag} (never latest or main, which change under you)"));
        }
        else if (version < ReleaseTag.Parse(DendriteContainerImageTags.OldestSupportedTag))
        {
            errors.Add(Error("ImageTag", $"{ImageTag} is older than {DendriteContainerImageTags.OldestSupportedTag}, the oldest release the rendered config supports; use {DendriteContainerImageTags.OldestSupportedTag} or later"));
        }

        if (!VolumeName().IsMatch(VolumePrefix))
        {
            errors.Add(Error("VolumePrefix", $"\"{VolumePrefix}\" is not a valid volume name; use letters, digits, '_', '.' or '-', starting with a letter or digit"));
        }

        if (HostPort is < 0 or > 65535)
        {
            errors.Add(Error("HostPort", $"{HostPort} is not a port; use 1-65535, or 0 to let Aspire choose"));
        }

        return errors;
    }

    internal static ConfigFinding Error(string key, string message) =>
        new(FindingSeverity.Error, $"{SectionName}:{key}", message);

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")]
    private static partial Regex VolumeName();
}
