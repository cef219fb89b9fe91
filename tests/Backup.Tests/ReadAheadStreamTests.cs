using DendriteAspire.Backup.Archive;

namespace DendriteAspire.Backup.Tests;

/// <summary>The archive reader's read-ahead: the same bytes in the same order, and its source's failure where it happens.</summary>
public sealed class ReadAheadStreamTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 7)]
    [InlineData((1 << 20) - 1, 4096)]
    [InlineData(1 << 20, 1 << 20)]
    [InlineData((5 << 20) + 12345, 333_333)]
    public async Task Gives_The_Source_Bytes_In_Order(int size, int readSize)
    {
        var data = new byte[size];
        new Random(size).NextBytes(data);
        await using var ahead = new ReadAheadStream(new TrickleStream(new MemoryStream(data), 70_000, failAt: null));
        var copy = new MemoryStream();
        var buffer = new byte[readSize];
        int read;
        while ((read = await ahead.ReadAsync(buffer, TestContext.Current.CancellationToken)) > 0)
        {
            copy.Write(buffer, 0, read);
        }

        Assert.Equal(data, copy.ToArray());
        Assert.Equal(0, await ahead.ReadAsync(buffer, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_Source_Failure_Reaches_The_Reader_After_The_Bytes_Before_It()
    {
        var data = new byte[3 << 20];
        new Random(3).NextBytes(data);
        await using var ahead = new ReadAheadStream(new TrickleStream(new MemoryStream(data), 64 * 1024, failAt: (2 << 20) + 5));
        var copy = new MemoryStream();
        var failure = await Assert.ThrowsAsync<InvalidDataException>(() => ahead.CopyToAsync(copy, TestContext.Current.CancellationToken));
        Assert.Equal("damaged at the test's byte", failure.Message);
        Assert.Equal(data[..(2 << 20)], copy.ToArray());
    }

    [Fact]
    public async Task Disposing_Before_The_End_Stops_Reading_The_Source()
    {
        var source = new TrickleStream(new MemoryStream(new byte[64 << 20]), 1 << 16, failAt: null);
        var ahead = new ReadAheadStream(source);
        Assert.True(await ahead.ReadAsync(new byte[10], TestContext.Current.CancellationToken) > 0);
        await ahead.DisposeAsync();
        var stoppedAt = source.Position;
        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.Equal(stoppedAt, source.Position);
        Assert.True(stoppedAt < 16 << 20, $"read {stoppedAt} bytes of 64 MiB");
    }

    /// <summary>Gives at most <c>chunk</c> bytes per read (as a decompressor does) and fails at <c>failAt</c>.</summary>
    private sealed class TrickleStream(Stream inner, int chunk, long? failAt) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var limit = Math.Min(count, chunk);
            if (failAt is { } at)
            {
                if (inner.Position >= at)
                {
                    throw new InvalidDataException("damaged at the test's byte");
                }

                limit = (int)Math.Min(limit, at - inner.Position);
            }

            return inner.Read(buffer, offset, limit);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
