namespace DendriteAspire.Backup.Archive;

/// <summary>
/// A new backup counts only once it reads back whole: this reads the archive back from its file while
/// <see cref="BackupArchiveWriter"/> writes it (decompressing, hashing every file, checking the databases in the
/// stream: <see cref="ArchiveVerifier.VerifyReadBackAsync"/>), and <see cref="VerifiedAsync"/> deletes the archive when
/// it does not verify, so no half-good archive is ever kept (or counted by retention).
/// </summary>
/// <remarks>
/// It reads what the writer put in the file, through a descriptor of its own, as a read after the writer finished
/// would (both read the kernel's copy of the file); following the writer lets the read-back use the CPU the writer
/// leaves while it waits on its sources and on <c>fsync</c> (bench/RESULTS.md). Start it right after the writer is
/// created and dispose it before the writer.
/// </remarks>
internal sealed class ArchiveReadBack : IAsyncDisposable
{
    private readonly BackupArchiveWriter _writer;
    private readonly Stream _source;
    private readonly string _path;
    private readonly bool _encrypted;
    private readonly Task<VerifiedArchive> _reading;
    private bool _awaited;

    private ArchiveReadBack(BackupArchiveWriter writer, Stream source, string path, bool encrypted, Task<VerifiedArchive> reading)
    {
        _writer = writer;
        _source = source;
        _path = path;
        _encrypted = encrypted;
        _reading = reading;
    }

    /// <summary>Starts reading the archive <paramref name="writer"/> writes to <paramref name="path"/>.</summary>
    public static ArchiveReadBack Start(BackupArchiveWriter writer, string path, string? passphrase, Action<string> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(progress);
        progress($"reading {Path.GetFileName(path)} back as it is written");
        var source = writer.OpenReadBack();
        var reading = Task.Run(() => ArchiveVerifier.VerifyReadBackAsync(source, Path.GetFileName(path), passphrase, cancellationToken), cancellationToken);
        return new ArchiveReadBack(writer, source, path, passphrase is not null, reading);
    }

    /// <summary>
    /// Once the writer completed: waits for the read-back to reach the end and checks the finished file's end marker;
    /// when anything is wrong the archive is deleted and the reason thrown.
    /// </summary>
    public async Task<VerifiedArchive> VerifiedAsync()
    {
        _awaited = true;
        try
        {
            var verified = await _reading.ConfigureAwait(false);
            if (!_encrypted)
            {
                await using var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
                if (EndFrame.Check(file) is { } problem)
                {
                    throw new BackupRefusedException(problem);
                }
            }

            return verified;
        }
        catch
        {
            File.Delete(_path);
            throw;
        }
        finally
        {
            await _source.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>When the backup failed before <see cref="VerifiedAsync"/>: stops the read-back (the writer throws the archive away).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_awaited)
        {
            return;
        }

        _writer.AbortReadBack();
        try
        {
            await _reading.ConfigureAwait(false);
        }
        catch (Exception e) when (e is BackupFailedException or BackupRefusedException or OperationCanceledException or IOException)
        {
            // The backup failed for its own reason, which is the one to report.
        }
        finally
        {
            await _source.DisposeAsync().ConfigureAwait(false);
        }
    }
}
