using System.Security.Cryptography;

namespace DendriteAspire.Backup.Crypto;

/// <summary>
/// Read side of <see cref="ArchiveEncryption"/>: reads one sealed chunk ahead, so it knows which chunk is the last
/// one and checks its final flag. Nothing unauthenticated is ever returned.
/// </summary>
internal sealed class DecryptingStream : Stream
{
    private readonly Stream _input;
    private readonly AesGcm _aes;
    private readonly byte[] _header;
    private readonly int _chunkSize;
    private readonly bool _leaveOpen;
    private byte[] _current;
    private int _currentLength;
    private byte[] _next;
    private int _nextLength;
    private readonly byte[] _plain;
    private int _plainLength;
    private int _plainOffset;
    private long _index;
    private bool _ended;
    private bool _started;

    public DecryptingStream(Stream input, byte[] key, byte[] header, int chunkSize, bool leaveOpen)
    {
        _input = input;
        _aes = new AesGcm(key, ArchiveEncryption.TagSize);
        CryptographicOperations.ZeroMemory(key);
        _header = header;
        _chunkSize = chunkSize;
        _leaveOpen = leaveOpen;
        _current = new byte[chunkSize + ArchiveEncryption.TagSize];
        _next = new byte[chunkSize + ArchiveEncryption.TagSize];
        _plain = new byte[chunkSize];
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (_plainOffset == _plainLength)
        {
            if (_ended || !OpenNextChunk())
            {
                return 0;
            }
        }

        var take = Math.Min(buffer.Length, _plainLength - _plainOffset);
        _plain.AsSpan(_plainOffset, take).CopyTo(buffer);
        _plainOffset += take;
        return take;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    private bool OpenNextChunk()
    {
        if (!_started)
        {
            _started = true;
            _nextLength = _input.ReadAtLeast(_next, _next.Length, throwOnEndOfStream: false);
        }

        (_current, _next) = (_next, _current);
        _currentLength = _nextLength;
        if (_currentLength < ArchiveEncryption.TagSize)
        {
            throw new BackupRefusedException($"the archive is truncated: encrypted chunk {_index} is incomplete and no final chunk was found");
        }

        // A full-length chunk may be followed by more; a shorter one must be the last (the reader will check its flag).
        _nextLength = _currentLength == _current.Length ? _input.ReadAtLeast(_next, _next.Length, throwOnEndOfStream: false) : 0;
        var final = _nextLength == 0;
        var length = _currentLength - ArchiveEncryption.TagSize;
        Span<byte> nonce = stackalloc byte[12];
        ArchiveEncryption.Nonce(_header, _index, nonce);
        try
        {
            _aes.Decrypt(nonce, _current.AsSpan(0, length), _current.AsSpan(length, ArchiveEncryption.TagSize), _plain.AsSpan(0, length),
                ArchiveEncryption.AssociatedData(_header, final));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw final
                ? new BackupRefusedException($"the archive is truncated or tampered with: encrypted chunk {_index} (the last one present) does not authenticate as the final chunk")
                : new BackupRefusedException($"the archive was tampered with or is damaged: encrypted chunk {_index} does not authenticate");
        }

        _index++;
        _plainLength = length;
        _plainOffset = 0;
        _ended = final;
        return length > 0 || !final;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _aes.Dispose();
            CryptographicOperations.ZeroMemory(_plain);
            if (!_leaveOpen)
            {
                _input.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    internal int ChunkSize => _chunkSize;
}
