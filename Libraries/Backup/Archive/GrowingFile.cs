using Microsoft.Win32.SafeHandles;

namespace DendriteAspire.Backup.Archive;

/// <summary>
/// A file being written that another reader follows: the writer publishes how many bytes are in the file (in the
/// kernel, where every descriptor sees them) and finally ends it or aborts it; <see cref="OpenReader"/> gives a stream
/// that reads the file through a descriptor of its own and waits at the published end until there is more or the end is
/// final. <see cref="BackupArchiveWriter"/> uses it so a new archive is read back from the file while it is written,
/// instead of after: the read-back's CPU fills the time the writer waits on its sources and on <c>fsync</c>.
/// </summary>
internal sealed class GrowingFile
{
    private readonly object _gate = new();
    private readonly string _path;
    private long _published;
    private bool _ended;
    private string? _aborted;
    private TaskCompletionSource _more = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public GrowingFile(string path) => _path = path;

    /// <summary>The file now holds <paramref name="length"/> bytes.</summary>
    public void Publish(long length)
    {
        TaskCompletionSource woken;
        lock (_gate)
        {
            _published = length;
            woken = _more;
            _more = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        woken.TrySetResult();
    }

    /// <summary>The file is whole at <paramref name="length"/> bytes: a reader that gets there reads its end.</summary>
    public void End(long length)
    {
        lock (_gate)
        {
            _ended = true;
        }

        Publish(length);
    }

    /// <summary>The file will not be finished: a waiting reader stops with <paramref name="reason"/>.</summary>
    public void Abort(string reason)
    {
        lock (_gate)
        {
            if (_ended)
            {
                return;
            }

            _aborted ??= reason;
        }

        Publish(_published);
    }

    /// <summary>
    /// The writer's side: a write-only stream onto <paramref name="file"/> (which must not buffer, so that what it wrote
    /// is in the file) that publishes the file's length after every write and starts its disk writes as it grows
    /// (<see cref="WriteBehind"/>).
    /// </summary>
    public Stream Track(FileStream file) => new Publishing(this, file);

    /// <summary>A stream over the file as it grows, from its first byte.</summary>
    public Stream OpenReader() => new Reader(this, File.OpenHandle(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));

    /// <summary>How far a reader at <paramref name="position"/> may read now (0: the end), or a task to wait on first.</summary>
    private (long Available, Task? Wait) Poll(long position)
    {
        lock (_gate)
        {
            if (position < _published)
            {
                return (_published - position, null);
            }

            if (_aborted is { } reason)
            {
                throw new BackupFailedException($"the archive was not finished: {reason}");
            }

            return _ended ? (0, null) : (0, _more.Task);
        }
    }

    private sealed class Publishing(GrowingFile growing, FileStream file) : Stream
    {
        private readonly WriteBehind _writeBehind = new(file.SafeFileHandle);

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => file.Length;

        public override long Position { get => file.Position; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            file.Write(buffer);
            Written();
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await file.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            Written();
        }

        private void Written()
        {
            growing.Publish(file.Position);
            _writeBehind.Written(file.Position);
        }

        public override void Flush() => file.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => file.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    private sealed class Reader(GrowingFile file, SafeFileHandle handle) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        /// <summary>Settable backwards only (the archive reader peeks at the first bytes, then starts again).</summary>
        public override long Position
        {
            get => _position;
            set => _position = value >= 0 && value <= _position ? value : throw new NotSupportedException("a growing file is read forwards");
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            while (true)
            {
                var (available, wait) = file.Poll(_position);
                if (wait is not null)
                {
                    wait.GetAwaiter().GetResult();
                    continue;
                }

                return Take(available, buffer.Length) is var take and > 0 ? Advance(RandomAccess.Read(handle, buffer[..take], _position)) : 0;
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            while (true)
            {
                var (available, wait) = file.Poll(_position);
                if (wait is not null)
                {
                    await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                return Take(available, buffer.Length) is var take and > 0
                    ? Advance(await RandomAccess.ReadAsync(handle, buffer[..take], _position, cancellationToken).ConfigureAwait(false))
                    : 0;
            }
        }

        private static int Take(long available, int wanted) => (int)Math.Min(available, wanted);

        private int Advance(int read)
        {
            // The writer published these bytes, so they are in the file: a short read means the file changed under it.
            if (read == 0)
            {
                throw new BackupFailedException("the archive being written got shorter while it was read back");
            }

            _position += read;
            return read;
        }

        public override long Seek(long offset, SeekOrigin origin) =>
            origin == SeekOrigin.Begin ? Position = offset : throw new NotSupportedException("a growing file is read forwards");

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                handle.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
