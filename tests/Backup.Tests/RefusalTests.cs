using System.Formats.Tar;
using System.Text;
using DendriteAspire.Backup.Archive;
using DendriteAspire.Backup.Restore;
using ZstdSharp;

namespace DendriteAspire.Backup.Tests;

/// <summary>
/// Everything a restore refuses, with the reason: a truncated archive, a changed byte, a wrong passphrase, an archive
/// from a newer Dendrite, a target holding data without --replace. Verify reads an archive whole before restore writes.
/// </summary>
public sealed class RefusalTests : IDisposable
{
    private readonly Archives _archives = new();

    public void Dispose() => _archives.Dispose();

    public static TheoryData<bool, double> Cuts()
    {
        var data = new TheoryData<bool, double>();
        foreach (var encrypted in new[] { false, true })
        {
            foreach (var fraction in new[] { 0.0, 0.001, 0.1, 0.5, 0.9, 0.99, 0.999 })
            {
                data.Add(encrypted, fraction);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cuts))]
    public async Task Truncated_Archive_IsRefused(bool encrypted, double keep)
    {
        var (path, _, _) = await _archives.WriteAsync(encrypted ? Archives.Passphrase : null);
        var bytes = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(path, bytes[..(int)(bytes.Length * keep)], TestContext.Current.CancellationToken);
        var refusal = await Assert.ThrowsAsync<BackupRefusedException>(() => Verify(path, encrypted));
        Assert.Matches("truncated|empty|damaged", refusal.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Archive_CutByItsLastByte_IsRefused(bool encrypted)
    {
        var (path, _, _) = await _archives.WriteAsync(encrypted ? Archives.Passphrase : null);
        var bytes = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(path, bytes[..^1], TestContext.Current.CancellationToken);
        await Assert.ThrowsAsync<BackupRefusedException>(() => Verify(path, encrypted));
    }

    public static TheoryData<bool, double> Positions()
    {
        var data = new TheoryData<bool, double>();
        foreach (var encrypted in new[] { false, true })
        {
            foreach (var fraction in new[] { 0.0005, 0.2, 0.5, 0.8, 0.9995 })
            {
                data.Add(encrypted, fraction);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Positions))]
    public async Task Tampered_Byte_IsRefused(bool encrypted, double position)
    {
        var (path, _, _) = await _archives.WriteAsync(encrypted ? Archives.Passphrase : null);
        var bytes = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);
        // Past the 8 bytes that say what kind of file it is (a changed magic is "not a backup", also refused).
        var at = Math.Max(8, (int)(bytes.Length * position));
        bytes[at] ^= 0x01;
        await File.WriteAllBytesAsync(path, bytes, TestContext.Current.CancellationToken);
        await Assert.ThrowsAsync<BackupRefusedException>(() => Verify(path, encrypted));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Appended_Bytes_AreRefused(bool encrypted)
    {
        var (path, _, _) = await _archives.WriteAsync(encrypted ? Archives.Passphrase : null);
        await using (var file = new FileStream(path, FileMode.Append))
        {
            file.Write(System.Security.Cryptography.RandomNumberGenerator.GetBytes(5000));
        }

        await Assert.ThrowsAsync<BackupRefusedException>(() => Verify(path, encrypted));
    }

    [Fact]
    public async Task Wrong_Passphrase_IsRefused_AsAWrongPassphrase()
    {
        var (path, _, _) = await _archives.WriteAsync(Archives.Passphrase);
        var refusal = await Assert.ThrowsAsync<BackupRefusedException>(() => ArchiveVerifier.VerifyAsync(path, "not the passphrase", TestContext.Current.CancellationToken));
        Assert.StartsWith("wrong passphrase", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Encrypted_Archive_WithoutPassphrase_SaysWhatToGive()
    {
        var (path, _, _) = await _archives.WriteAsync(Archives.Passphrase);
        var refusal = await Assert.ThrowsAsync<BackupRefusedException>(() => ArchiveVerifier.VerifyAsync(path, null, TestContext.Current.CancellationToken));
        Assert.Contains("--passphrase-file", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_File_IsNotABackup()
    {
        var path = Path.Combine(_archives.Directory, "notes.txt");
        await File.WriteAllTextAsync(path, "shopping list", TestContext.Current.CancellationToken);
        var refusal = await Assert.ThrowsAsync<BackupRefusedException>(() => ArchiveVerifier.VerifyAsync(path, null, TestContext.Current.CancellationToken));
        Assert.Contains("not a DendriteAspire backup", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Recompressed_Archive_WithAChangedFile_FailsItsManifestChecksum()
    {
        // An attacker (or a bad tool) rewrites a file and recompresses: the zstd and tar layers are valid again, the manifest is not.
        var (path, _, _) = await _archives.WriteAsync(passphrase: null);
        var rewritten = await RewriteAsync(path, (name, data) => name == "volumes/storage-keys/matrix_key.pem" ? Encoding.ASCII.GetBytes("another key") : data);
        var refusal = await Assert.ThrowsAsync<BackupRefusedException>(() => Verify(rewritten, encrypted: false));
        Assert.Contains("'volumes/storage-keys/matrix_key.pem' does not match its checksum", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task File_MissingFromTheArchive_OrNotInTheManifest_IsRefused()
    {
        var (path, _, _) = await _archives.WriteAsync(passphrase: null);
        var missing = await RewriteAsync(path, (name, data) => name == "volumes/media/ab/cd/file" ? null : data);
        Assert.Contains("lacks 1 file", (await Assert.ThrowsAsync<BackupRefusedException>(() => Verify(missing, false))).Message, StringComparison.Ordinal);

        var extra = await RewriteAsync(path, (name, data) => data, ("volumes/media/planted", [1, 2, 3]));
        Assert.Contains("'volumes/media/planted' is in the archive but not in its manifest",
            (await Assert.ThrowsAsync<BackupRefusedException>(() => Verify(extra, false))).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../../etc/cron.d/x")]
    [InlineData("/etc/passwd")]
    public async Task Archive_WithAPathOutsideItsTarget_IsRefused(string hostile)
    {
        var (path, _, _) = await _archives.WriteAsync(passphrase: null);
        var rewritten = await RewriteAsync(path, (name, data) => data, (hostile, [1]));
        var refusal = await Assert.ThrowsAsync<BackupRefusedException>(() => Verify(rewritten, false));
        Assert.Contains("which no backup contains", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Database_ThatDoesNotOpen_IsRefused_EvenWithMatchingChecksums()
    {
        var garbage = Path.Combine(_archives.Directory, "garbage.db");
        await File.WriteAllBytesAsync(garbage, Encoding.ASCII.GetBytes(new string('x', 8192)), TestContext.Current.CancellationToken);
        var path = Path.Combine(_archives.Directory, "garbage.tar.zst");
        await using (var writer = BackupArchiveWriter.Create(path, null))
        {
            await writer.AddLocalFileAsync("volumes/sqlite/syncapi.db", garbage, 0b110_100_100, TestContext.Current.CancellationToken);
            await writer.CompleteAsync(Archives.Draft(), TestContext.Current.CancellationToken);
        }

        var refusal = await Assert.ThrowsAsync<BackupRefusedException>(() => Verify(path, false));
        Assert.Contains("the database syncapi in the archive does not open cleanly", refusal.Message, StringComparison.Ordinal);

        // A new backup's own read-back checks the header in the stream instead of opening a copy: refused, and deleted.
        var fresh = Path.Combine(_archives.Directory, "garbage-new.tar.zst");
        await using (var writer = BackupArchiveWriter.Create(fresh, null))
        {
            await using var readBack = ArchiveReadBack.Start(writer, fresh, null, _ => { }, TestContext.Current.CancellationToken);
            await writer.AddLocalFileAsync("volumes/sqlite/syncapi.db", garbage, 0b110_100_100, TestContext.Current.CancellationToken);
            await writer.CompleteAsync(Archives.Draft(), TestContext.Current.CancellationToken);
            refusal = await Assert.ThrowsAsync<BackupRefusedException>(readBack.VerifiedAsync);
        }

        Assert.Equal("the database syncapi in the archive is not a whole SQLite file: no SQLite header", refusal.Message);
        Assert.False(File.Exists(fresh));
    }

    [Fact]
    public async Task Database_WithOtherSchemaVersions_ThanTheManifest_IsRefused()
    {
        var database = _archives.Database("userapi", ("userapi: one", "0.15.2"));
        var path = Path.Combine(_archives.Directory, "schema.tar.zst");
        await using (var writer = BackupArchiveWriter.Create(path, null))
        {
            await writer.AddLocalFileAsync("volumes/sqlite/userapi.db", database, 0b110_100_100, TestContext.Current.CancellationToken);
            await writer.CompleteAsync(Archives.Draft() with
            {
                Migrations = new(StringComparer.Ordinal) { ["userapi"] = [new SchemaMigration("userapi: one", "0.13.8")] },
            }, TestContext.Current.CancellationToken);
        }

        var refusal = await Assert.ThrowsAsync<BackupRefusedException>(() => Verify(path, false));
        Assert.Contains("other db_migrations rows than the manifest lists", refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v0.15.2", "0.15.2", "v0.15.2", true)]
    [InlineData("v0.13.8", "0.13.8", "v0.15.2", true)]
    [InlineData("v0.15.3", "0.15.3", "v0.15.2", false)]
    [InlineData("v0.16.0", "0.16.0", "v0.15.2", false)]
    // The release says 0.15.2 but a newer Dendrite already migrated the schema: still refused.
    [InlineData("v0.15.2", "0.16.0+abc", "v0.15.2", false)]
    public async Task Archive_FromANewerDendrite_ThanConfigured_IsRefused(string release, string schemaVersion, string configuredTag, bool allowed)
    {
        var (path, _, _) = await _archives.WriteAsync(null, release, [("roomserver: x", schemaVersion)]);
        var manifest = (await ArchiveVerifier.VerifyAsync(path, null, TestContext.Current.CancellationToken)).Manifest;
        var image = $"docker.io/matrixdotorg/dendrite-monolith:{configuredTag}";
        var empty = new RestoreTargetState([], []);
        if (allowed)
        {
            RestorePreflight.Check(manifest, image, "p", empty, replace: false);
        }
        else
        {
            var refusal = Assert.Throws<BackupRefusedException>(() => RestorePreflight.Check(manifest, image, "p", empty, replace: true));
            Assert.Contains($"newer than the configured {configuredTag}", refusal.Message, StringComparison.Ordinal);
            Assert.Contains("Dendrite:ImageTag=", refusal.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Target_HoldingData_IsRefused_WithoutReplace()
    {
        var manifest = Archives.Draft();
        var occupied = new RestoreTargetState([], ["family-sqlite", "family-media"]);
        var refusal = Assert.Throws<BackupRefusedException>(() => RestorePreflight.Check(manifest, "dendrite:v0.15.2", "family", occupied, replace: false));
        Assert.Equal("not empty: family-sqlite, family-media. Restore onto another --volume-prefix, or give --replace to replace what is there", refusal.Message);
        RestorePreflight.Check(manifest, "dendrite:v0.15.2", "family", occupied, replace: true);
        RestorePreflight.Check(manifest, "dendrite:v0.15.2", "family", new RestoreTargetState([], []), replace: false);
    }

    [Fact]
    public void Target_InUse_IsRefused_EvenWithReplace()
    {
        var refusal = Assert.Throws<BackupRefusedException>(() =>
            RestorePreflight.Check(Archives.Draft(), "dendrite:v0.15.2", "family", new RestoreTargetState(["family-sqlite"], ["family-sqlite"]), replace: true));
        Assert.Contains("in use by a running container", refusal.Message, StringComparison.Ordinal);
    }

    private static Task<VerifiedArchive> Verify(string path, bool encrypted) =>
        ArchiveVerifier.VerifyAsync(path, encrypted ? Archives.Passphrase : null, TestContext.Current.CancellationToken);

    /// <summary>Decompresses an unencrypted archive, changes files (null drops one), adds some before the manifest, recompresses.</summary>
    private async Task<string> RewriteAsync(string path, Func<string, byte[], byte[]?> change, params (string Name, byte[] Data)[] add)
    {
        var output = Path.Combine(_archives.Directory, "rewritten-" + Guid.NewGuid().ToString("N")[..6] + ".tar.zst");
        await using var source = File.OpenRead(path);
        await using var zstdIn = new DecompressionStream(source);
        await using var reader = new TarReader(zstdIn);
        await using var target = File.Create(output);
        var zstdOut = new CompressionStream(target, leaveOpen: true);
        await using (var writer = new TarWriter(zstdOut, TarEntryFormat.Pax, leaveOpen: true))
        {
            while (await reader.GetNextEntryAsync(copyData: true, TestContext.Current.CancellationToken) is { } entry)
            {
                using var buffer = new MemoryStream();
                await entry.DataStream!.CopyToAsync(buffer, TestContext.Current.CancellationToken);
                if (entry.Name == "manifest.json")
                {
                    foreach (var (name, data) in add)
                    {
                        await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) }, TestContext.Current.CancellationToken);
                    }
                }

                var changed = entry.Name == "manifest.json" ? buffer.ToArray() : change(entry.Name, buffer.ToArray());
                if (changed is not null)
                {
                    await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, entry.Name) { DataStream = new MemoryStream(changed) }, TestContext.Current.CancellationToken);
                }
            }
        }

        // A careful forger also writes a correct end marker: only the manifest can tell.
        await zstdOut.DisposeAsync();
        await target.WriteAsync(EndFrame.For(target.Position), TestContext.Current.CancellationToken);
        return output;
    }
}
