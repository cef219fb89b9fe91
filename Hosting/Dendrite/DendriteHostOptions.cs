using System.Text.RegularExpressions;
using DendriteAspire.ConfigRenderer.Rendering;
using Microsoft.Extensions.Configuration;

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

    public string Registry { get; init; } = DendriteContainerImageTags.Registry;
    public string Image { get; init; } = DendriteContainerImageTags.Image;
    public string ImageTag { get; init; } = DendriteContainerImageTags.Tag;

    /// <summary>
    /// Prefix of the named volumes (<c>&lt;prefix&gt;-jetstream</c>, ...). Fixed rather than derived from the
    /// AppHost's path, so the state survives moving the checkout and the committed manifest is the same everywhere.
    /// </summary>
    public string VolumePrefix { get; init; } = "dendriteaspire";

    /// <summary>The host port for the client API; 0 lets Aspire choose one.</summary>
    public int HostPort { get; init; } = DendriteResource.HttpPort;

    /// <summary>
    /// Whether Dendrite and its key step stop with the AppHost (<see cref="ContainerLifetime.Session"/>, the default) or
    /// keep running across AppHost restarts (<see cref="ContainerLifetime.Persistent"/>).
    /// </summary>
    public ContainerLifetime Lifetime { get; init; } = ContainerLifetime.Session;

    /// <summary>The raw <c>Lifetime</c> value when it names no lifetime; reported by <see cref="Validate"/>.</summary>
    private string? InvalidLifetime { get; init; }

    public static DendriteHostOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var defaults = new DendriteHostOptions();
        var (registry, image) = SplitRegistry(NonEmpty(section["Image"]) ?? defaults.Image);
        var lifetime = NonEmpty(section["Lifetime"]);
        var lifetimeKnown = lifetime is null || Enum.GetNames<ContainerLifetime>().Contains(lifetime, StringComparer.OrdinalIgnoreCase);
        return new DendriteHostOptions
        {
            Registry = registry ?? NonEmpty(section["Registry"]) ?? defaults.Registry,
            Image = image,
            ImageTag = NonEmpty(section["ImageTag"]) ?? defaults.ImageTag,
            VolumePrefix = NonEmpty(section["VolumePrefix"]) ?? defaults.VolumePrefix,
            HostPort = section.GetValue("HostPort", defaults.HostPort),
            Lifetime = lifetime is not null && lifetimeKnown ? Enum.Parse<ContainerLifetime>(lifetime, ignoreCase: true) : defaults.Lifetime,
            InvalidLifetime = lifetimeKnown ? null : lifetime,
        };
    }

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

        if (InvalidLifetime is not null)
        {
            errors.Add(Error("Lifetime", $"\"{InvalidLifetime}\" is not a lifetime; use Session (the default: Dendrite stops with the AppHost) or Persistent (it keeps running across AppHost restarts)"));
        }

        return errors;
    }

    private static ConfigFinding Error(string key, string message) =>
        new(FindingSeverity.Error, $"{SectionName}:{key}", message);

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")]
    private static partial Regex VolumeName();

    /// <summary><c>ghcr.io/element-hq/dendrite-monolith</c> names its own registry; <c>matrixdotorg/...</c> does not.</summary>
    private static (string? Registry, string Image) SplitRegistry(string image)
    {
        var slash = image.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && (image[..slash].Contains('.', StringComparison.Ordinal) || image[..slash].Contains(':', StringComparison.Ordinal) || image[..slash] == "localhost"))
        {
            return (image[..slash], image[(slash + 1)..]);
        }

        return (null, image);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
