using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace DendriteAspire.Backup.Archive;

/// <summary>
/// Starts the disk writes of an archive as it grows (Linux: <c>sync_file_range(SYNC_FILE_RANGE_WRITE)</c> on every
/// 32 MiB written) instead of leaving it all dirty in memory for the final <c>fsync</c>. With gigabytes of free memory
/// the kernel would otherwise hold a whole 1 GiB archive and write it in one burst at the end, which queues Dendrite's
/// own small synchronous writes behind it; in the Admin CLI the writes also carry its idle I/O class
/// (<see cref="Runtime.BackgroundCpu"/>). It does not wait for the writes and changes nothing about what is written;
/// the final <c>fsync</c> still decides. Elsewhere it does nothing.
/// </summary>
internal sealed class WriteBehind(SafeFileHandle file)
{
    private const long Step = 32L << 20;
    private const uint SyncFileRangeWrite = 2;
    private long _started;

    /// <summary>The file now holds <paramref name="length"/> bytes: starts writing what a whole step has gathered.</summary>
    public void Written(long length)
    {
        if (!OperatingSystem.IsLinux() || length - _started < Step)
        {
            return;
        }

        var upTo = length / Step * Step;
        // Best effort: a refusal (an old kernel, a file system without it) leaves the writes to the final fsync.
        _ = SyncFileRange(file, _started, upTo - _started, SyncFileRangeWrite);
        _started = upTo;
    }

    [DllImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SyncFileRange(SafeFileHandle fd, long offset, long nbytes, uint flags);
}
