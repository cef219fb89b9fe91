using DendriteAspire.Backup.Archive;

namespace DendriteAspire.Backup.Runtime;

/// <summary>
/// The onboarding service's <c>invites.db</c> in an archive (<see cref="ArchiveLayout.Invites"/>), the same for the
/// local backup (its data directory on this machine) and the cluster's (its claim mounted into the backup pod):
/// read under a read transaction (<see cref="SqliteSnapshot.AddAsync"/>), and put back with nothing of an older file's journal beside it.
/// </summary>
internal static class OnboardingInvites
{
    public const string FileName = "invites.db";

    private static readonly string[] JournalSuffixes = ["-journal", "-wal", "-shm"];

    /// <summary>Adds <c>invites.db</c> from <paramref name="directory"/> to the archive; nothing when there is none.</summary>
    public static async Task AddAsync(BackupArchiveWriter writer, string? directory, string scratch,
        SortedDictionary<string, IReadOnlyList<SchemaMigration>> migrations, Action<string> progress, CancellationToken cancellationToken)
    {
        var invites = directory is null ? null : Path.Combine(directory, FileName);
        if (invites is null || !File.Exists(invites))
        {
            return;
        }

        migrations["invites"] = await SqliteSnapshot.AddAsync(writer, ArchiveLayout.Invites, invites, 0b110_000_000, scratch, ownCopy: false, cancellationToken)
            .ConfigureAwait(false);
        progress("onboarding: invites.db");
    }

    /// <summary>The target file in <paramref name="directory"/>, when the archive holds invites and a directory is given; else null.</summary>
    public static string? Target(BackupManifest manifest, string? directory) =>
        directory is not null && manifest.Files.Any(f => f.Path == ArchiveLayout.Invites) ? Path.Combine(directory, FileName) : null;

    /// <summary>
    /// Moves the restored copy into place (replacing only with <paramref name="replace"/>), and removes a journal the old
    /// file left: SQLite would otherwise roll the restored file "back" with the old file's pages.
    /// </summary>
    public static void Place(string copy, string target, bool replace, UnixFileMode? mode)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        foreach (var leftover in JournalSuffixes.Select(suffix => target + suffix).Where(File.Exists))
        {
            File.Delete(leftover);
        }

        File.Move(copy, target, overwrite: replace);
        if (mode is { } m && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(target, m);
        }
    }
}
