using System.Globalization;
using Aspire.Hosting.Publishing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DendriteAspire.Hosting;

/// <summary>
/// How Dendrite sees the <c>storage-keys</c> volume when it runs locally. The model (and so the Kubernetes output)
/// mounts it read-only: only the key step writes there. DCP asks for that with
/// <c>--mount type=volume,...,readonly</c>, which Docker and podman 5 accept but podman 4 (Debian 12 ships 4.3.1)
/// rejects with <c>readonly: invalid mount option</c>, so Dendrite would never start. On such a runtime the volume is
/// mounted writable and the key stays protected by its file mode (0400, set by the key step).
/// </summary>
internal static partial class SigningKeyMount
{
    /// <summary>The first podman major version whose <c>--mount</c> parser accepts <c>readonly</c> on named volumes.</summary>
    public static readonly Version FirstPodmanWithReadOnlyVolumes = new(5, 0);

    /// <summary>Whether <paramref name="runtime"/> (<c>docker</c> or <c>podman</c>) at <paramref name="version"/> accepts DCP's read-only volume mounts.</summary>
    /// <param name="runtime">The container runtime DCP drives.</param>
    /// <param name="version">Its client version; null when it could not be read.</param>
    public static bool ReadOnlySupported(string runtime, Version? version) =>
        !string.Equals(runtime, "podman", StringComparison.OrdinalIgnoreCase)
        || (version is not null && version >= FirstPodmanWithReadOnlyVolumes);

    /// <summary>
    /// Before anything starts (run mode only): when the runtime cannot mount named volumes read-only, replaces
    /// Dendrite's read-only <c>storage-keys</c> mount with a writable one and says so in the AppHost log.
    /// </summary>
    public static void AdaptToRuntime(IResourceBuilder<DendriteResource> builder, string volumeName) =>
        ContainerRuntimeCli.BeforeStart(builder.ApplicationBuilder, async (@event, name, cancellationToken) =>
        {
            var version = name == "podman" ? await ClientVersionAsync(name, cancellationToken).ConfigureAwait(false) : null;
            var readOnly = ReadOnlySupported(name, version);
            Apply(builder.Resource, volumeName, readOnly);
            if (!readOnly)
            {
                var logger = @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SigningKeyMount).FullName!);
                LogWritableKeys(logger, builder.Resource.Name, $"{name} {version?.ToString() ?? "(version unknown)"}", volumeName);
            }
        });

    /// <summary>Sets the mount of <paramref name="volumeName"/> on Dendrite to read-only or writable.</summary>
    public static void Apply(DendriteResource dendrite, string volumeName, bool readOnly)
    {
        var mount = dendrite.Annotations.OfType<ContainerMountAnnotation>().Single(m => m.Source == volumeName);
        if (mount.IsReadOnly == readOnly)
        {
            return;
        }

        // Same position in the list, so the container spec (and a persistent container's lifecycle key) stays stable.
        var replacement = new ContainerMountAnnotation(mount.Source, mount.Target, mount.Type, readOnly);
        var annotations = dendrite.Annotations;
        var index = annotations.IndexOf(mount);
        annotations.RemoveAt(index);
        annotations.Insert(index, replacement);
    }

    /// <summary><c>podman version --format {{.Client.Version}}</c>, or null when it cannot be read.</summary>
    private static async Task<Version?> ClientVersionAsync(string runtime, CancellationToken cancellationToken) =>
        await ContainerRuntimeCli.OutputAsync(runtime, ["version", "--format", "{{.Client.Version}}"], cancellationToken).ConfigureAwait(false) is { } output
            ? ParseVersion(output)
            : null;

    /// <summary>The leading <c>major.minor[.patch]</c> of a version such as <c>4.3.1</c> or <c>5.2.0-dev</c>.</summary>
    public static Version? ParseVersion(string text)
    {
        var numbers = new string(text.Trim().TakeWhile(c => char.IsAsciiDigit(c) || c == '.').ToArray()).TrimEnd('.');
        var parts = numbers.Split('.');
        return parts.Length >= 2 && parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            ? Version.Parse(string.Join('.', parts.Take(3)))
            : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "{Resource}: {Runtime} cannot mount named volumes read-only ('readonly: invalid mount option'), so {Volume} is mounted writable; the signing key keeps mode 0400. Use Docker or podman 5 for a read-only mount.")]
    private static partial void LogWritableKeys(ILogger logger, string resource, string runtime, string volume);
}
