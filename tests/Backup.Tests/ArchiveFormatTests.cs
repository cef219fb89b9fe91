using System.Formats.Tar;
using System.Security.Cryptography;
using DendriteAspire.Backup.Archive;
using DendriteAspire.Backup.Crypto;
using ZstdSharp;

namespace DendriteAspire.Backup.Tests;

/// <summary>The archive layout, the manifest and its checksums, with and without encryption.</summary>
public sealed class ArchiveFormatTests : IDisposable
{
    private readonly Archives _archives = new();

    public void Dispose() => _archives.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Archive_ReadsBack_EveryFileWithTheChecksumItsManifestLists(bool encrypted)
    {
        var (path, written, media) = await _archives.WriteAsync(encrypted ? Archives.Passphrase : null);
        var contents = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var manifest = await BackupArchiveReader.ReadAsync(path, encrypted ? Archives.Passphrase : null, async (entry, data, ct) =>
        {
            using var copy = new MemoryStream();
            await data.CopyToAsync(copy, ct);
            contents[entry.Path] = copy.ToArray();
        }, TestContext.Current.CancellationToken);

        Assert.Equal(System.Text.Encoding.UTF8.GetString(written.ToJson()), System.Text.Encoding.UTF8.GetString(manifest.ToJson()));
        Assert.Equal(["settings.json", "volumes/sqlite/roomserver.db", "volumes/media/ab/cd/file", "volumes/storage-keys/matrix_key.pem"],
            manifest.Files.Select(f => f.Path));
        foreach (var file in manifest.Files)
        {
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(contents[file.Path])), file.Sha256);
            Assert.Equal(contents[file.Path].Length, file.Size);
        }

        Assert.Equal(media, contents["volumes/media/ab/cd/file"]);
        Assert.Equal(0b100_000_000, manifest.Files.Single(f => f.Path.EndsWith("matrix_key.pem", StringComparison.Ordinal)).Mode);
        Assert.Equal([new SchemaMigration("roomserver: add redacted column", "0.15.2")], manifest.Migrations["roomserver"]);
    }

    [Fact]
    public async Task A_reader_that_disposes_an_entrys_stream_still_gets_every_checksum_verified()
    {
        var (path, _, _) = await _archives.WriteAsync(null);

        // A StreamReader disposes the stream it reads (as restoring a secret does): the entry is still hashed and checked.
        var texts = new List<string>();
        var manifest = await BackupArchiveReader.ReadAsync(path, null, async (entry, data, ct) =>
        {
            using var reader = new StreamReader(data);
            texts.Add(await reader.ReadToEndAsync(ct));
        }, TestContext.Current.CancellationToken);

        Assert.Equal(manifest.Files.Count, texts.Count);
    }

    [Fact]
    public async Task Unencrypted_Archive_IsATarInZstd_WithTheManifestLast()
    {
        var (path, _, _) = await _archives.WriteAsync(passphrase: null);
        await using var file = File.OpenRead(path);
        await using var zstd = new DecompressionStream(file);
        await using var tar = new TarReader(zstd);
        var names = new List<string>();
        while (await tar.GetNextEntryAsync(cancellationToken: TestContext.Current.CancellationToken) is { } entry)
        {
            names.Add(entry.Name);
        }

        Assert.Equal("manifest.json", names[^1]);
        Assert.Equal(5, names.Count);
    }

    [Fact]
    public async Task Encrypted_Archive_StartsWithTheDocumentedHeader_AndHoldsNoPlaintext()
    {
        var (path, _, _) = await _archives.WriteAsync(Archives.Passphrase);
        var bytes = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);
        Assert.True(bytes.AsSpan().StartsWith("DABACKUP"u8));
        Assert.Equal(ArchiveEncryption.FormatVersion, bytes[8]);
        Assert.Equal(ArchiveEncryption.KdfPbkdf2Sha256, bytes[9]);
        Assert.Equal(Archives.TestIterations, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(10)));
        Assert.True(BackupArchiveReader.IsEncrypted(path));
        Assert.Equal(-1, bytes.AsSpan().IndexOf("MATRIX PRIVATE KEY"u8));
        Assert.Equal(-1, bytes.AsSpan().IndexOf("manifest.json"u8));
        Assert.EndsWith(".tar.zst.enc", path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unfinished_Archive_LeavesNoFile()
    {
        var path = Path.Combine(_archives.Directory, "unfinished.tar.zst");
        await using (var writer = BackupArchiveWriter.Create(path, null))
        {
            await writer.AddBytesAsync("settings.json", [1, 2, 3], 0b110_100_100, DateTimeOffset.UtcNow, TestContext.Current.CancellationToken);
        }

        Assert.False(File.Exists(path));
        Assert.False(File.Exists(path + ".partial"));
    }

    [Fact]
    public async Task Writer_NeverOverwrites_AnExistingFile()
    {
        var path = Path.Combine(_archives.Directory, "taken.tar.zst");
        await File.WriteAllTextAsync(path, "someone's file", TestContext.Current.CancellationToken);
        var refusal = Assert.Throws<BackupRefusedException>(() => BackupArchiveWriter.Create(path, null));
        Assert.Contains("already exists", refusal.Message, StringComparison.Ordinal);
        Assert.Equal("someone's file", await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Source_ThatEndsEarly_FailsTheBackup_AndLeavesNoFile()
    {
        var path = Path.Combine(_archives.Directory, "short.tar.zst");
        await using (var writer = BackupArchiveWriter.Create(path, null))
        {
            await Assert.ThrowsAsync<BackupFailedException>(() =>
                writer.AddFileAsync("volumes/media/x", new MemoryStream(new byte[10]), 20, 0b110_100_100, DateTimeOffset.UtcNow, TestContext.Current.CancellationToken));
        }

        Assert.False(File.Exists(path));
        Assert.False(File.Exists(path + ".partial"));
    }

    [Fact]
    public async Task Source_ThatFailsMidFile_IsWhatFails_AndTheThrownAwayArchiveLeavesNoFile()
    {
        var path = Path.Combine(_archives.Directory, "midfile.tar.zst");
        var writer = BackupArchiveWriter.Create(path, null);
        await writer.AddBytesAsync("settings.json", [1, 2, 3], 0b110_100_100, DateTimeOffset.UtcNow, TestContext.Current.CancellationToken);
        var failure = await Assert.ThrowsAsync<InvalidDataException>(() => writer.AddFileAsync("volumes/media/x",
            new FailingStream(3 << 20), 8 << 20, 0b110_100_100, DateTimeOffset.UtcNow, TestContext.Current.CancellationToken));

        // Throwing the archive away, with zstd's workers mid-frame, must not fail in its turn: that would hide the
        // source's failure, which is what the backup reports.
        await writer.DisposeAsync();

        Assert.Equal("the source broke", failure.Message);
        Assert.False(File.Exists(path));
        Assert.False(File.Exists(path + ".partial"));
    }

    /// <summary>Random bytes, then a failure after <c>failAt</c> of them (a tar stream cut off, a pipe's writer gone).</summary>
    private sealed class FailingStream(long failAt) : Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position >= failAt)
            {
                throw new InvalidDataException("the source broke");
            }

            var n = (int)Math.Min(count, failAt - _position);
            Random.Shared.NextBytes(buffer.AsSpan(offset, n));
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("volumes/media/../../x")]
    [InlineData("volumes//x")]
    [InlineData("manifest.json")]
    public async Task Writer_RefusesPaths_NoArchiveMayHold(string name)
    {
        await using var writer = BackupArchiveWriter.Create(Path.Combine(_archives.Directory, "paths.tar.zst"), null);
        await Assert.ThrowsAsync<ArgumentException>(() => writer.AddBytesAsync(name, [1], 0b110_100_100, DateTimeOffset.UtcNow, TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4095)]
    [InlineData(4096)]
    [InlineData(4097)]
    [InlineData(3 * 4096)]
    [InlineData(3 * 4096 + 17)]
    public void Encryption_RoundTrips_AtEveryChunkBoundary(int length)
    {
        var plain = RandomNumberGenerator.GetBytes(length);
        using var sealedBytes = new MemoryStream();
        using (var encrypt = ArchiveEncryption.Encrypt(sealedBytes, "pass", iterations: 1000, chunkSize: 4096, leaveOpen: true))
        {
            // Odd write sizes, so chunks fill across writes.
            for (var offset = 0; offset < length; offset += 1000)
            {
                encrypt.Write(plain, offset, Math.Min(1000, length - offset));
            }
        }

        var chunks = Math.Max(1, (length + 4095) / 4096);
        Assert.Equal(ArchiveEncryption.HeaderSize + length + chunks * ArchiveEncryption.TagSize, sealedBytes.Length);
        sealedBytes.Position = 0;
        using var decrypt = ArchiveEncryption.Decrypt(sealedBytes, "pass");
        using var back = new MemoryStream();
        decrypt.CopyTo(back);
        Assert.Equal(plain, back.ToArray());
    }

    [Fact]
    public void Encryption_RefusesSwappedChunks_AndACutAtAChunkBoundary()
    {
        var plain = RandomNumberGenerator.GetBytes(3 * 4096 + 100);
        using var sealedBytes = new MemoryStream();
        using (var encrypt = ArchiveEncryption.Encrypt(sealedBytes, "pass", iterations: 1000, chunkSize: 4096, leaveOpen: true))
        {
            encrypt.Write(plain);
        }

        var bytes = sealedBytes.ToArray();
        var sealedChunk = 4096 + ArchiveEncryption.TagSize;
        var swapped = (byte[])bytes.Clone();
        bytes.AsSpan(ArchiveEncryption.HeaderSize, sealedChunk).CopyTo(swapped.AsSpan(ArchiveEncryption.HeaderSize + sealedChunk));
        bytes.AsSpan(ArchiveEncryption.HeaderSize + sealedChunk, sealedChunk).CopyTo(swapped.AsSpan(ArchiveEncryption.HeaderSize));
        Assert.Contains("tampered", Assert.Throws<BackupRefusedException>(() => DecryptAll(swapped)).Message, StringComparison.Ordinal);

        // Cut right after the third full chunk: what is left authenticates chunk by chunk, but has no final chunk.
        var cut = bytes[..(ArchiveEncryption.HeaderSize + 3 * sealedChunk)];
        Assert.Contains("truncated", Assert.Throws<BackupRefusedException>(() => DecryptAll(cut)).Message, StringComparison.Ordinal);
    }

    private static byte[] DecryptAll(byte[] bytes)
    {
        using var input = new MemoryStream(bytes);
        using var decrypt = ArchiveEncryption.Decrypt(input, "pass");
        using var output = new MemoryStream();
        decrypt.CopyTo(output);
        return output.ToArray();
    }
}
