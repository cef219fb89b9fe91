using DendriteAspire.Backup.Archive;

namespace DendriteAspire.Backup.Runtime;

/// <summary>
/// The file <c>dendriteaspire-release</c> on the keys volume: the Dendrite release that last ran on this data (written
/// by the upgrade guard before Dendrite starts, and by a restore). Read and written with a one-off container.
/// </summary>
public static class ReleaseMarker
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>The recorded release (<c>v0.15.2</c>), or null when none is recorded or the volume does not exist.</summary>
    public static async Task<string?> ReadAsync(ContainerCli cli, string keysVolume, string image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cli);
        // A missing volume records nothing (and a one-off container must not create it).
        var (exists, _, _) = await cli.TryRunAsync(Timeout, cancellationToken, "volume", "inspect", keysVolume).ConfigureAwait(false);
        if (exists != 0)
        {
            return null;
        }

        var (code, output, _) = await cli.TryRunAsync(Timeout, cancellationToken, "run", "--rm", "--entrypoint", "sh", "-v", $"{keysVolume}:/k:ro", image,
            "-c", $"cat /k/{ServerVolumes.ReleaseMarker} 2>/dev/null || true").ConfigureAwait(false);
        var text = output.Trim();
        return code == 0 && DendriteRelease.TryParse(text, out var version) ? DendriteRelease.Tag(version) : null;
    }

    /// <summary>
    /// Records <paramref name="release"/> on the keys volume, owned like the volume itself (the user Dendrite runs as,
    /// once the local ownership step has run), so the record never leaves a root-owned file among Dendrite's.
    /// </summary>
    public static async Task WriteAsync(ContainerCli cli, string keysVolume, string image, string release, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cli);
        if (!DendriteRelease.TryParse(release, out var version))
        {
            throw new ArgumentException($"'{release}' is not a release tag", nameof(release));
        }

        await cli.RunAsync(Timeout, cancellationToken, "run", "--rm", "--entrypoint", "sh", "-v", $"{keysVolume}:/k", image,
            "-c", $"printf '%s\\n' '{DendriteRelease.Tag(version)}' > /k/{ServerVolumes.ReleaseMarker}.new && chown \"$(stat -c %u:%g /k)\" /k/{ServerVolumes.ReleaseMarker}.new && mv /k/{ServerVolumes.ReleaseMarker}.new /k/{ServerVolumes.ReleaseMarker}")
            .ConfigureAwait(false);
    }
}
