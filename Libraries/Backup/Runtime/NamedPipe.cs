using System.Globalization;
using System.Runtime.InteropServices;

namespace DendriteAspire.Backup.Runtime;

/// <summary>What the process writing into a <see cref="NamedPipe"/> ended with.</summary>
internal readonly record struct PipeWriterExit(int ExitCode, string Errors);

/// <summary>
/// A FIFO (Linux's named pipe) in a directory of this process's, which another process writes and this one reads: the
/// way a volume's tar leaves Docker's helper container without Docker's daemon relaying the bytes (<see cref="HelperTar"/>).
/// Only its owner may open it (mode 0600).
/// </summary>
internal static class NamedPipe
{
    private const int OpenWriteOnly = 1;
    private const int OpenNonBlocking = 0x800; // O_NONBLOCK on x86-64 and arm64
    private static readonly TimeSpan ReleaseFor = TimeSpan.FromSeconds(30);

    /// <summary>Makes the FIFO <paramref name="name"/> in <paramref name="directory"/>; its path.</summary>
    public static string Create(string directory, string name)
    {
        var path = Path.Combine(directory, name);
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("named pipes are made on Linux only");
        }

        return MakeFifo(CString(path), 0b110_000_000) == 0
            ? path
            : throw new BackupFailedException(string.Create(CultureInfo.InvariantCulture, $"cannot make the named pipe {path}: errno {Marshal.GetLastPInvokeError()}"));
    }

    /// <summary>
    /// Starts the writer (<paramref name="startWriter"/>: it opens <paramref name="path"/> for writing, writes, exits),
    /// hands what it writes to <paramref name="read"/> and returns how the writer ended, for the caller to judge. The
    /// open never hangs: when the writer ends without having opened the pipe (it failed first), this side sees an empty
    /// stream; when nothing opens it within <paramref name="openTimeout"/> (the writer's end of the FIFO is not this
    /// one: another machine's or VM's file), the writer is stopped and it is a <see cref="PipeNotReachedException"/>.
    /// </summary>
    public static async Task<PipeWriterExit> ReadAsync(string path, Func<CancellationToken, Task<PipeWriterExit>> startWriter, TimeSpan openTimeout,
        Func<Stream, CancellationToken, Task> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(startWriter);
        ArgumentNullException.ThrowIfNull(read);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writer = startWriter(stop.Token);
        var opening = Task.Factory.StartNew(() => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        using (var waited = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            var first = await Task.WhenAny(opening, writer, Task.Delay(openTimeout, waited.Token)).ConfigureAwait(false);
            waited.Cancel();
            if (!opening.IsCompleted && first != writer)
            {
                // Nothing opened it for writing in time, or the caller gave up: stop the writer, free the open.
                await stop.CancelAsync().ConfigureAwait(false);
                await ReleaseAsync(path, opening).ConfigureAwait(false);
                await (await opening.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
                await Ended(writer).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                throw new PipeNotReachedException(string.Create(CultureInfo.InvariantCulture,
                    $"nothing opened the named pipe {path} for writing within {openTimeout.TotalSeconds:0} s"));
            }
        }

        if (!opening.IsCompleted)
        {
            // The writer ended: it opened the pipe and wrote (its data waits in the pipe), or it failed before opening
            // it. Either way one more writer opening and closing it lets the read side through to what is there.
            await ReleaseAsync(path, opening).ConfigureAwait(false);
        }

        await using var stream = await opening.ConfigureAwait(false);
        try
        {
            await read(stream, stop.Token).ConfigureAwait(false);
            await stream.CopyToAsync(Stream.Null, stop.Token).ConfigureAwait(false);
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await stream.DisposeAsync().ConfigureAwait(false);
            await Ended(writer).ConfigureAwait(false);
            throw;
        }

        return await writer.ConfigureAwait(false);
    }

    /// <summary>Opens the pipe for writing and closes it again until the blocked open for reading returns.</summary>
    private static async Task ReleaseAsync(string path, Task opening)
    {
        var until = DateTime.UtcNow + ReleaseFor;
        while (!opening.IsCompleted)
        {
            // Non-blocking: it fails (ENXIO) while no reader has it open yet; then try again.
            var fd = Open(CString(path), OpenWriteOnly | OpenNonBlocking);
            if (fd >= 0)
            {
                _ = Close(fd);
            }

            if (DateTime.UtcNow > until)
            {
                throw new BackupFailedException($"the named pipe {path} could not be released");
            }

            await Task.WhenAny(opening, Task.Delay(20)).ConfigureAwait(false);
        }
    }

    private static async Task Ended(Task writer)
    {
        try
        {
            await writer.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or BackupFailedException)
        {
            // It was stopped, or failed the way the caller is already reporting.
        }
    }

    /// <summary>A path as C wants it: UTF-8, ending in a zero byte.</summary>
    private static byte[] CString(string path) => System.Text.Encoding.UTF8.GetBytes(path + "\0");

    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MakeFifo(byte[] path, uint mode);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Open(byte[] path, int flags);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Close(int fd);
}

/// <summary>Nothing opened a <see cref="NamedPipe"/> for writing: its writer sees another file of that name.</summary>
internal sealed class PipeNotReachedException : Exception
{
    public PipeNotReachedException()
    {
    }

    public PipeNotReachedException(string message) : base(message)
    {
    }

    public PipeNotReachedException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
