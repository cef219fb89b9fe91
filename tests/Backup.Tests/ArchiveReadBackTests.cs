using System.Security.Cryptography;
using DendriteAspire.Backup.Archive;

namespace DendriteAspire.Backup.Tests;

/// <summary>
/// A new archive is read back from its file while it is written (<see cref="ArchiveReadBack"/> over
/// <see cref="GrowingFile"/>): the reader waits at what the writer has published, reads on when there is more, ends
/// only where the archive ends, and stops when the backup fails.
/// </summary>
public sealed class ArchiveReadBackTests : IDisposable
{
    private readonly Archives _archives = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reader_WaitsAtThePublishedEnd_ReadsOnWhenMoreArrives_EndsOnlyAtTheEnd()
    {
        var path = Path.Combine(_archives.Directory, "growing");
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0);
        var growing = new GrowingFile(path);
        await using var writer = growing.Track(file);
        await using var reader = growing.OpenReader();
        var buffer = new byte[16];

        await writer.WriteAsync("abc"u8.ToArray(), Ct);
        Assert.Equal(3, await reader.ReadAsync(buffer, Ct));
        Assert.Equal("abc"u8.ToArray(), buffer[..3]);

        // Nothing more published: the read waits instead of ending the stream.
        var pending = reader.ReadAsync(buffer, Ct).AsTask();
        await Task.Delay(200, Ct);
        Assert.False(pending.IsCompleted, "the reader returned at the published end of a file still being written");

        await writer.WriteAsync("de"u8.ToArray(), Ct);
        Assert.Equal(2, await pending.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        Assert.Equal("de"u8.ToArray(), buffer[..2]);

        // The synchronous read (the decryption reads that way) waits too, and the end is the end.
        var blocking = Task.Run(() => reader.Read(buffer, 0, buffer.Length), Ct);
        await Task.Delay(200, Ct);
        Assert.False(blocking.IsCompleted);
        growing.End(file.Position);
        Assert.Equal(0, await blocking.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        Assert.Equal(0, await reader.ReadAsync(buffer, Ct));
    }

    [Fact]
    public async Task Reader_OfAFileThatIsThrownAway_StopsWithTheReason()
    {
        var path = Path.Combine(_archives.Directory, "aborted");
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0);
        var growing = new GrowingFile(path);
        await using var reader = growing.OpenReader();
        var pending = reader.ReadAsync(new byte[4], Ct).AsTask();
        growing.Abort("the disk is full");
        var failure = await Assert.ThrowsAsync<BackupFailedException>(() => pending.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        Assert.Equal("the archive was not finished: the disk is full", failure.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReadBack_WhileWriting_VerifiesTheWholeArchive_AsVerifyDoes(bool encrypted)
    {
        var passphrase = encrypted ? Archives.Passphrase : null;
        var path = Path.Combine(_archives.Directory, encrypted ? "whole.tar.zst.enc" : "whole.tar.zst");
        var database = _archives.Database("roomserver", ("roomserver: one", "0.15.2"));
        var progress = new List<string>();
        VerifiedArchive verified;
        long written;
        await using (var writer = BackupArchiveWriter.Create(path, passphrase, iterations: Archives.TestIterations))
        {
            await using var readBack = ArchiveReadBack.Start(writer, path, passphrase, progress.Add, Ct);
            await writer.AddLocalFileAsync(ArchiveLayout.VolumeFile("sqlite", "roomserver.db"), database, 0b110_100_100, Ct);
            // More than the writer's buffers (1 MiB before the file, zstd's, a 1 MiB encryption chunk): the reader
            // gets the archive in pieces while the rest is still being written.
            for (var i = 0; i < 6; i++)
            {
                await writer.AddBytesAsync(ArchiveLayout.VolumeFile("media", $"photo{i}"), RandomNumberGenerator.GetBytes(1 << 20), 0b110_100_100, DateTimeOffset.UnixEpoch, Ct);
            }

            await writer.CompleteAsync(Archives.Draft() with
            {
                Migrations = new(StringComparer.Ordinal) { ["roomserver"] = [new SchemaMigration("roomserver: one", "0.15.2")] },
            }, Ct);
            written = writer.ContentBytes;
            verified = await readBack.VerifiedAsync();
        }

        Assert.Equal(written, verified.ContentBytes);
        Assert.Equal(7, verified.Manifest.Files.Count);
        Assert.Contains($"reading {Path.GetFileName(path)} back as it is written", progress);
        Assert.False(File.Exists(path + ".partial"));
        // verify (the whole file, databases opened) agrees with the read-back.
        Assert.Equal(7, (await ArchiveVerifier.VerifyAsync(path, passphrase, Ct)).Manifest.Files.Count);
    }

    [Fact]
    public async Task ReadBack_OfABackupThatFails_Stops_AndNothingIsLeft()
    {
        var path = Path.Combine(_archives.Directory, "failed.tar.zst");
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var writer = BackupArchiveWriter.Create(path, null);
            await using var readBack = ArchiveReadBack.Start(writer, path, null, _ => { }, Ct);
            await writer.AddBytesAsync(ArchiveLayout.VolumeFile("media", "photo"), RandomNumberGenerator.GetBytes(3 << 20), 0b110_100_100, DateTimeOffset.UnixEpoch, Ct);
            throw new InvalidOperationException("the source went away");
        }).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal("the source went away", failure.Message);
        Assert.Empty(Directory.GetFiles(_archives.Directory, "failed*"));
    }

    [Fact]
    public async Task ReadBack_OfAFileThatDiffersFromWhatTheWriterTook_IsRefused_AndTheArchiveDeleted()
    {
        var path = Path.Combine(_archives.Directory, "differs.tar.zst");
        BackupRefusedException refusal;
        await using (var writer = BackupArchiveWriter.Create(path, null))
        {
            await using var readBack = ArchiveReadBack.Start(writer, path, null, _ => { }, Ct);
            await writer.AddBytesAsync(ArchiveLayout.VolumeFile("media", "photo"), RandomNumberGenerator.GetBytes(2 << 20), 0b110_100_100, DateTimeOffset.UnixEpoch, Ct);
            await writer.AddBytesAsync(ArchiveLayout.VolumeFile("media", "other"), [1, 2, 3], 0b110_100_100, DateTimeOffset.UnixEpoch, Ct);
            await writer.CompleteAsync(Archives.Draft(), Ct);
            // As if the source had given the writer other bytes than the ones that reached the archive.
            writer.ContentChecks[ArchiveLayout.VolumeFile("media", "photo")] ^= 1;
            refusal = await Assert.ThrowsAsync<BackupRefusedException>(readBack.VerifiedAsync);
        }

        Assert.Equal("'volumes/media/photo' reads back different from what was written from its source", refusal.Message);
        Assert.False(File.Exists(path));
    }

    public void Dispose() => _archives.Dispose();
}
