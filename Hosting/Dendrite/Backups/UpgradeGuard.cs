using DendriteAspire.Backup.Archive;

namespace DendriteAspire.Hosting;

/// <summary>What the upgrade guard does before Dendrite starts, given the release recorded on the data.</summary>
internal enum UpgradeStep
{
    /// <summary>Nothing recorded (new data, or data from before the guard), or the same release: start.</summary>
    Start,

    /// <summary>The configured release is newer: back up first, then start (Dendrite migrates the schema, with no way back).</summary>
    BackUpThenStart,

    /// <summary>The configured release is older than the data: refuse before anything starts.</summary>
    Refuse,
}

/// <summary>
/// The upgrade guard's decision. Dendrite migrates its schema on start and never back, so an older release must never
/// start on data a newer one touched, and a newer one only with a backup of the old data beside it.
/// </summary>
internal static class UpgradeGuard
{
    public static UpgradeStep Decide(string? recorded, string configured)
    {
        if (recorded is null || !DendriteRelease.TryParse(recorded, out var last) || !DendriteRelease.TryParse(configured, out var next))
        {
            return UpgradeStep.Start;
        }

        return next > last ? UpgradeStep.BackUpThenStart : next < last ? UpgradeStep.Refuse : UpgradeStep.Start;
    }

    /// <summary>The refusal, naming the backup to restore (the newest taken before upgrading from the configured release, if any).</summary>
    public static string RefusalMessage(string recorded, string configured, string volumePrefix, string backupDirectory)
    {
        var backup = Directory.Exists(backupDirectory)
            ? Directory.EnumerateFiles(backupDirectory)
                .Select(path => (Path: path, Name: ArchiveName.TryParse(Path.GetFileName(path))))
                .Where(a => a.Name is { Reason: BackupReasons.Upgrade } name && name.UpgradeFrom == configured)
                .OrderByDescending(a => a.Name!.TakenAt)
                .Select(a => a.Path)
                .FirstOrDefault()
            : null;
        var restore = backup is null
            ? $"no backup taken before upgrading from {configured} is in {backupDirectory}"
            : $"to go back, restore the backup taken before the upgrade: dotnet run --project Admin -- restore {backup} --volume-prefix {volumePrefix} --image <image>:{configured} --replace";
        return $"{configured} is older than {recorded}, the release that last ran on the data of volume prefix '{volumePrefix}'; Dendrite cannot run on a newer schema. " +
            $"Set Dendrite:ImageTag={recorded} (or newer), or {restore}";
    }
}
