using System.Security.Cryptography;

namespace DendriteAspire.Backup.Crypto;

/// <summary>Write side of <see cref="ArchiveEncryption"/>: buffers one chunk, seals it, writes it; the last on dispose.</summary>
internal sealed class EncryptingStream : Stream
{
    private readonly Stream _output;
    private readonly AesGcm _aes;
    private readonly byte[] _header;
    private readonly byte[] _plain;
    private readonly byte[] _sealed;
    private readonly bool _leaveOpen;
    private int _filled;
    private long _index;
    private bool _finished;

    public EncryptingStream(Stream output, byte[] key, byte[] header, int chunkSize, bool leaveOpen)
    {
        _output = output;
        _aes = new AesGcm(key, ArchiveEncryption.TagSize);
        CryptographicOperations.ZeroMemory(key);
        _header = header;
        _plain = new byte[chunkSize];
        _sealed = new byte[chunkSize + ArchiveEncryption.TagSize];
        _leaveOpen = leaveOpen;
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => !_finished;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        while (buffer.Length > 0)
        {
            // A full chunk is sealed only once more data arrives, so the last chunk is always the one marked final.
            if (_filled == _plain.Length)
            {
                Seal(final: false);
            }

            var take = Math.Min(buffer.Length, _plain.Length - _filled);
            buffer[..take].CopyTo(_plain.AsSpan(_filled));
            _filled += take;
            buffer = buffer[take..];
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer, offset, count);
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush() => _output.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    private void Seal(bool final)
    {
        Span<byte> nonce = stackalloc byte[12];
        ArchiveEncryption.Nonce(_header, _index, nonce);
        var length = _filled;
        _aes.Encrypt(nonce, _plain.AsSpan(0, length), _sealed.AsSpan(0, length), _sealed.AsSpan(length, ArchiveEncryption.TagSize),
            ArchiveEncryption.AssociatedData(_header, final));
        _output.Write(_sealed, 0, length + ArchiveEncryption.TagSize);
        _index++;
        _filled = 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_finished)
        {
            _finished = true;
            Seal(final: true);
            _output.Flush();
            CryptographicOperations.ZeroMemory(_plain);
            _aes.Dispose();
            if (!_leaveOpen)
            {
                _output.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
