using System.Buffers;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace DendriteAspire.Backup.Archive;

/// <summary>
/// Reads its source on a background task, a few blocks ahead of its reader, so reading an archive uses two cores:
/// zstd decompresses the next blocks while the reader parses the tar and hashes what it has. A failure of the source
/// (a damaged frame, a truncated file) reaches the reader as the source's own exception, at the point where the
/// reader gets to it.
/// </summary>
internal sealed class ReadAheadStream : Stream
{
    private const int BlockSize = 1 << 20;
    private const int BlocksAhead = 4;
    private readonly Stream _source;
    private readonly Channel<(byte[] Buffer, int Length)> _blocks =
        Channel.CreateBounded<(byte[] Buffer, int Length)>(new BoundedChannelOptions(BlocksAhead) { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _producer;
    private byte[]? _current;
    private int _offset;
    private int _length;

    public ReadAheadStream(Stream source)
    {
        _source = source;
        _producer = Task.Run(ProduceAsync);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        if (_current is null || _offset == _length)
        {
            ReturnCurrent();
            try
            {
                if (!await _blocks.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false) || !_blocks.Reader.TryRead(out var block))
                {
                    return 0;
                }

                (_current, _length, _offset) = (block.Buffer, block.Length, 0);
            }
            catch (ChannelClosedException e) when (e.InnerException is not null)
            {
                ExceptionDispatchInfo.Throw(e.InnerException);
                throw;
            }
        }

        var count = Math.Min(buffer.Length, _length - _offset);
        _current.AsSpan(_offset, count).CopyTo(buffer.Span);
        _offset += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override int Read(Span<byte> buffer)
    {
        var rented = ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            var count = Read(rented, 0, buffer.Length);
            rented.AsSpan(0, count).CopyTo(buffer);
            return count;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _producer.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        ReturnCurrent();
        while (_blocks.Reader.TryRead(out var block))
        {
            ArrayPool<byte>.Shared.Return(block.Buffer);
        }

        _stop.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_stop.IsCancellationRequested)
        {
            DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        base.Dispose(disposing);
    }

    private async Task ProduceAsync()
    {
        try
        {
            while (true)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(BlockSize);
                int read;
                try
                {
                    read = await _source.ReadAtLeastAsync(buffer.AsMemory(0, BlockSize), BlockSize, throwOnEndOfStream: false, _stop.Token).ConfigureAwait(false);
                    if (read > 0)
                    {
                        await _blocks.Writer.WriteAsync((buffer, read), _stop.Token).ConfigureAwait(false);
                    }
                }
                catch
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw;
                }

                if (read == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }

                if (read < BlockSize)
                {
                    break;
                }
            }

            _blocks.Writer.TryComplete();
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            _blocks.Writer.TryComplete();
        }
        catch (Exception e)
        {
            _blocks.Writer.TryComplete(e);
        }
    }

    private void ReturnCurrent()
    {
        if (_current is not null)
        {
            ArrayPool<byte>.Shared.Return(_current);
            _current = null;
        }
    }
}
