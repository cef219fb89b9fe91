namespace DendriteAspire.Backup.Archive;

/// <summary>
/// Keeps the newest <c>Keep</c> scheduled archives of a server in a directory and removes the older ones. Only
/// scheduled archives count and are removed: manual and upgrade backups stay until someone deletes them. Call it only
/// after a new archive verified, so the oldest good backup is never removed for a broken new one.
/// </summary>
public static class Retention
{
    /// <summary>Removes the scheduled archives of <paramref name="serverName"/> beyond the newest <paramref name="keep"/>; returns what it removed.</summary>
    public static IReadOnlyList<string> Apply(string directory, string serverName, int keep)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        var server = ArchiveName.Safe(serverName);
        var scheduled = Directory.EnumerateFiles(directory)
            .Select(path => (Path: path, Name: ArchiveName.TryParse(Path.GetFileName(path))))
            .Where(a => a.Name is { Reason: BackupReasons.Scheduled } name && name.Server == server)
            .OrderByDescending(a => a.Name!.TakenAt)
            .ThenByDescending(a => a.Path, StringComparer.Ordinal)
            .ToList();
        var removed = new List<string>();
        foreach (var (path, _) in scheduled.Skip(keep))
        {
            File.Delete(path);
            removed.Add(path);
        }

        return removed;
    }
}
