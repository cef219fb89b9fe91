namespace DendriteAspire.Backup.Archive;

/// <summary>
/// A new backup counts only once it reads back whole: this reads the archive back from its file while
/// <see cref="BackupArchiveWriter"/> writes it (every encrypted chunk, zstd's frame checksum, the tar, the manifest, the
/// databases checked in the stream: <see cref="ArchiveVerifier.VerifyReadBackAsync"/>), compares every file with what
/// the writer took from its source, and <see cref="VerifiedAsync"/> deletes the archive when anything differs, so no
/// half-good archive is ever kept (or counted by retention).
/// </summary>
/// <remarks>
/// It reads what the writer put in the file, through a descriptor of its own, as a read after the writer finished
/// would (both read the kernel's copy of the file); following the writer lets the read-back use the CPU the writer
/// leaves while it waits on its sources and on <c>fsync</c> (bench/RESULTS.md). Each file is compared by size and
/// XxHash3, which the writer took from the source in the same pass as the SHA-256 in the manifest: an independent check
/// from source to archive at a tenth of a second SHA-256's cost (<c>verify</c> and every restore check the SHA-256s).
/// Start it right after the writer is created and dispose it before the writer.
/// </remarks>
internal sealed class ArchiveReadBack : IAsyncDisposable
{
    private readonly BackupArchiveWriter _writer;
    private readonly Stream _source;
    private readonly string _path;
    private readonly bool _encrypted;
    private readonly Task<VerifiedArchive> _reading;
    private readonly Dictionary<string, ulong> _checks;
    private bool _awaited;

    private ArchiveReadBack(BackupArchiveWriter writer, Stream source, string path, bool encrypted, Task<VerifiedArchive> reading, Dictionary<string, ulong> checks)
    {
        _writer = writer;
        _checks = checks;
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
        var checks = new Dictionary<string, ulong>(StringComparer.Ordinal);
        var reading = Task.Run(() => ArchiveVerifier.VerifyReadBackAsync(source, Path.GetFileName(path), passphrase, checks, cancellationToken), cancellationToken);
        return new ArchiveReadBack(writer, source, path, passphrase is not null, reading, checks);
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
            var written = _writer.ContentChecks;
            if (_checks.Count != written.Count)
            {
                throw new BackupRefusedException($"the archive holds {_checks.Count} files, {written.Count} were written");
            }

            foreach (var (file, check) in _checks)
            {
                if (!written.TryGetValue(file, out var expected) || expected != check)
                {
                    throw new BackupRefusedException($"'{file}' reads back different from what was written from its source");
                }
            }

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
