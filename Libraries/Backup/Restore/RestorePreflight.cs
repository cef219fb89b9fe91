using DendriteAspire.Backup.Archive;
using DendriteAspire.Backup.Runtime;

namespace DendriteAspire.Backup.Restore;

/// <summary>What a restore found on the target before writing anything.</summary>
/// <param name="InUse">Target volumes a running container mounts.</param>
/// <param name="Occupied">Target volumes (and files) that hold data.</param>
public sealed record RestoreTargetState(IReadOnlyList<string> InUse, IReadOnlyList<string> Occupied);

/// <summary>
/// The refusals a restore makes before it writes anything, as one decision: an archive from a newer Dendrite than the
/// configured one, a target in use, a target holding data without <c>--replace</c>.
/// </summary>
public static class RestorePreflight
{
    /// <summary>Throws <see cref="BackupRefusedException"/> with the reason; returns when the restore may write.</summary>
    public static void Check(BackupManifest manifest, string configuredImage, string volumePrefix, RestoreTargetState target, bool replace)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(target);
        CheckRelease(manifest, configuredImage);
        if (target.InUse.Count > 0)
        {
            throw new BackupRefusedException(
                $"{string.Join(", ", target.InUse)} in use by a running container: stop the server (the AppHost) before restoring onto prefix '{volumePrefix}', or restore onto another --volume-prefix");
        }

        if (target.Occupied.Count > 0 && !replace)
        {
            throw new BackupRefusedException(
                $"not empty: {string.Join(", ", target.Occupied)}. Restore onto another --volume-prefix, or give --replace to replace what is there");
        }
    }

    /// <summary>Refuses an archive whose data a newer Dendrite touched than the configured one: Dendrite migrates forward only.</summary>
    public static void CheckRelease(BackupManifest manifest, string configuredImage)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(configuredImage);
        var tag = ServerBackup.TagOf(configuredImage) ?? configuredImage;
        if (!DendriteRelease.TryParse(tag, out var configured))
        {
            throw new BackupRefusedException($"the configured Dendrite image '{configuredImage}' has no release tag such as v0.15.2");
        }

        if (manifest.NewestRelease is { } newest && newest > configured)
        {
            throw new BackupRefusedException(
                $"the archive is from Dendrite {DendriteRelease.Tag(newest)}, newer than the configured {DendriteRelease.Tag(configured)}; Dendrite cannot run on a newer schema. " +
                $"Configure Dendrite:ImageTag={DendriteRelease.Tag(newest)} (or newer) and restore again");
        }
    }
}
