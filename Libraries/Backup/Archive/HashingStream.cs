using System.Security.Cryptography;

namespace DendriteAspire.Backup.Archive;

/// <summary>
/// Reads through to an inner stream and hashes what passes (SHA-256). It reports a known <see cref="Length"/> and
/// claims to seek so that <see cref="System.Formats.Tar.TarWriter"/> writes it into an unseekable (compressed)
/// stream; it never actually seeks and never reads past <see cref="Length"/>.
/// </summary>
internal sealed class HashingStream(Stream inner, long length) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
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
        _hash.AppendData(buffer[..read]);
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
        _hash.AppendData(buffer.Span[..read]);
        BytesRead += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>The SHA-256 of everything read, taken once by the stream's owner.</summary>
    public string HashHex()
    {
        var hex = Convert.ToHexStringLower(_hash.GetHashAndReset());
        _hashed = true;
        return hex;
    }

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
        if (disposing && _hashed)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }
}
