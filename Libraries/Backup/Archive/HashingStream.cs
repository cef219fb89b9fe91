using System.IO.Hashing;
using System.Security.Cryptography;

namespace DendriteAspire.Backup.Archive;

/// <summary>
/// Reads through to an inner stream and hashes what passes: SHA-256 (the manifest's), XxHash3 (the check a new
/// archive's read-back compares with the writer's: <see cref="ArchiveReadBack"/>), or both. It reports a known <see cref="Length"/> and
/// claims to seek so that <see cref="System.Formats.Tar.TarWriter"/> writes it into an unseekable (compressed)
/// stream; it never actually seeks and never reads past <see cref="Length"/>.
/// </summary>
internal sealed class HashingStream(Stream inner, long length, bool sha256 = true, bool xxHash3 = false) : Stream
{
    private readonly IncrementalHash? _hash = sha256 ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
    private readonly XxHash3? _check = xxHash3 ? new XxHash3() : null;
    private bool _hashed;

    public long BytesRead { get; private set; }

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => BytesRead;
        set
        {
            if (value != BytesRead)
            {
                throw new NotSupportedException("a hashing stream only reads forward");
            }
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var wanted = (int)Math.Min(buffer.Length, length - BytesRead);
        if (wanted <= 0)
        {
            return 0;
        }

        var read = inner.Read(buffer[..wanted]);
        Append(buffer[..read]);
        BytesRead += read;
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var wanted = (int)Math.Min(buffer.Length, length - BytesRead);
        if (wanted <= 0)
        {
            return 0;
        }

        var read = await inner.ReadAsync(buffer[..wanted], cancellationToken).ConfigureAwait(false);
        Append(buffer.Span[..read]);
        BytesRead += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private void Append(ReadOnlySpan<byte> data)
    {
        _hash?.AppendData(data);
        _check?.Append(data);
    }

    /// <summary>The SHA-256 of everything read, taken once by the stream's owner.</summary>
    public string HashHex()
    {
        var hex = Convert.ToHexStringLower((_hash ?? throw new InvalidOperationException("this stream takes no SHA-256")).GetHashAndReset());
        _hashed = true;
        return hex;
    }

    /// <summary>The XxHash3 of everything read.</summary>
    public ulong Check() => (_check ?? throw new InvalidOperationException("this stream takes no XxHash3")).GetCurrentHashAsUInt64();

    public override long Seek(long offset, SeekOrigin origin) =>
        origin == SeekOrigin.Current && offset == 0 ? BytesRead : throw new NotSupportedException("a hashing stream only reads forward");

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        // A consumer handed this stream may dispose it before the owner takes the hash (a StreamReader does): the
        // hash goes only once taken (otherwise its finalizer frees it).
        if (disposing && (_hashed || _hash is null))
        {
            _hash?.Dispose();
        }

        base.Dispose(disposing);
    }
}
