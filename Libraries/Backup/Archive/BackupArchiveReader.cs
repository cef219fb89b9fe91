using System.Formats.Tar;
using System.Security.Cryptography;
using DendriteAspire.Backup.Crypto;
using ZstdSharp;

namespace DendriteAspire.Backup.Archive;

/// <summary>One file of an archive as it is read.</summary>
public sealed record ArchiveEntry(string Path, long Size, int Mode, DateTimeOffset Modified);

/// <summary>
/// Reads an archive from start to end in one pass, handing every file to a callback, and checks it whole: the
/// passphrase, every encrypted chunk, the zstd frame checksum, that the manifest is last, and every file's size and
/// SHA-256 against it, with no file missing or added. Anything wrong is a <see cref="BackupRefusedException"/> naming
/// what; the callback must therefore not change anything lasting until the read has returned (restore reads twice).
/// </summary>
public static class BackupArchiveReader
{
    private const int MaxManifestBytes = 64 * 1024 * 1024;
    private static ReadOnlySpan<byte> ZstdMagic => [0x28, 0xB5, 0x2F, 0xFD];

    /// <summary>True when the file starts like an encrypted archive.</summary>
    public static bool IsEncrypted(string path)
    {
        Span<byte> first = stackalloc byte[8];
        using var file = File.OpenRead(path);
        return file.ReadAtLeast(first, first.Length, throwOnEndOfStream: false) == first.Length && ArchiveEncryption.StartsEncrypted(first);
    }

    /// <summary>
    /// Reads <paramref name="path"/>, calling <paramref name="onFile"/> for every file but the manifest (the stream
    /// given is the file's content; what the callback leaves unread is read and hashed anyway), and returns the
    /// manifest once everything checked out.
    /// </summary>
    public static async Task<BackupManifest> ReadAsync(string path, string? passphrase, Func<ArchiveEntry, Stream, CancellationToken, Task>? onFile,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BackupRefusedException($"cannot read {path}: {e.Message}", e);
        }

        await using (file.ConfigureAwait(false))
        {
            return await ReadFromAsync(file, Path.GetFileName(path), passphrase, onFile, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Reads the archive in <paramref name="source"/> (named <paramref name="name"/> in refusals) as
    /// <see cref="ReadAsync"/> does. The unencrypted archive's end marker is checked here only when the source is a
    /// file; a caller reading an archive as it is written checks it on the finished file. With
    /// <paramref name="contentChecks"/> (the read-back of a new archive) each file's XxHash3 goes there instead of
    /// checking its SHA-256 against the manifest: the caller compares them with the writer's.
    /// </summary>
    internal static async Task<BackupManifest> ReadFromAsync(Stream source, string name, string? passphrase, Func<ArchiveEntry, Stream, CancellationToken, Task>? onFile,
        CancellationToken cancellationToken, IDictionary<string, ulong>? contentChecks = null)
    {
        var first = new byte[8];
        var got = await source.ReadAtLeastAsync(first, first.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        source.Position = 0;
        Stream plain;
        if (ArchiveEncryption.StartsEncrypted(first.AsSpan(0, got)))
        {
            if (passphrase is null)
            {
                throw new BackupRefusedException($"{name} is encrypted: give its passphrase with --passphrase-file");
            }

            plain = ArchiveEncryption.Decrypt(source, passphrase, leaveOpen: true);
        }
        else if (got >= 4 && first.AsSpan(0, 4).SequenceEqual(ZstdMagic))
        {
            if (source is FileStream file && EndFrame.Check(file) is { } problem)
            {
                throw new BackupRefusedException(problem);
            }

            plain = source;
        }
        else
        {
            throw new BackupRefusedException(got == 0
                ? $"{name} is empty"
                : $"{name} is not a DendriteAspire backup (it starts with neither zstd nor the encryption header)");
        }

        try
        {
            return await ReadPlainAsync(plain, onFile, contentChecks, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ZstdException or InvalidDataException or EndOfStreamException or FormatException
            or IOException)
        {
            throw new BackupRefusedException($"the archive is damaged or truncated: {e.Message}", e);
        }
        finally
        {
            if (!ReferenceEquals(plain, source))
            {
                await plain.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<BackupManifest> ReadPlainAsync(Stream plain, Func<ArchiveEntry, Stream, CancellationToken, Task>? onFile,
        IDictionary<string, ulong>? contentChecks, CancellationToken cancellationToken)
    {
        await using var decompression = new DecompressionStream(plain, leaveOpen: true);
        await using var ahead = new ReadAheadStream(decompression);
        var tar = new TarReader(ahead, leaveOpen: true);
        await using (tar.ConfigureAwait(false))
        {
            var seen = new List<ManifestFile>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            BackupManifest? manifest = null;
            while (await tar.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                if (entry.EntryType is TarEntryType.Directory)
                {
                    continue;
                }

                if (manifest is not null)
                {
                    throw new BackupRefusedException($"the archive has '{entry.Name}' after its manifest; the manifest must be last (tampered with?)");
                }

                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || !ArchiveLayout.IsSafePath(entry.Name))
                {
                    throw new BackupRefusedException($"the archive holds '{entry.Name}' ({entry.EntryType}), which no backup contains (tampered with?)");
                }

                if (!names.Add(entry.Name))
                {
                    throw new BackupRefusedException($"the archive holds '{entry.Name}' twice (tampered with?)");
                }

                var data = entry.DataStream ?? Stream.Null;
                if (entry.Name == ArchiveLayout.Manifest)
                {
                    if (entry.Length > MaxManifestBytes)
                    {
                        throw new BackupRefusedException("the archive's manifest is implausibly large (tampered with?)");
                    }

                    var json = new byte[entry.Length];
                    await data.ReadExactlyAsync(json, cancellationToken).ConfigureAwait(false);
                    manifest = BackupManifest.Parse(json);
                    continue;
                }

                await using var hashing = new HashingStream(data, entry.Length, sha256: contentChecks is null, xxHash3: contentChecks is not null);
                if (onFile is not null)
                {
                    await onFile(new ArchiveEntry(entry.Name, entry.Length, (int)entry.Mode, entry.ModificationTime), hashing, cancellationToken).ConfigureAwait(false);
                }

                await hashing.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
                if (hashing.BytesRead != entry.Length)
                {
                    throw new BackupRefusedException($"the archive is truncated inside '{entry.Name}'");
                }

                if (contentChecks is null)
                {
                    seen.Add(new ManifestFile(entry.Name, entry.Length, hashing.HashHex(), (int)entry.Mode));
                }
                else
                {
                    seen.Add(new ManifestFile(entry.Name, entry.Length, "", (int)entry.Mode));
                    contentChecks[entry.Name] = hashing.Check();
                }
            }

            if (manifest is null)
            {
                throw new BackupRefusedException(seen.Count == 0
                    ? "the archive is truncated or damaged: it holds no files and no manifest"
                    : $"the archive is truncated: it ends after {seen.Count} files without its manifest (last: '{seen[^1].Path}')");
            }

            // The zstd frame must end cleanly (its checksum is checked there) and nothing may follow it.
            var rest = new byte[4096];
            if (await decompression.ReadAsync(rest, cancellationToken).ConfigureAwait(false) > 0 && rest.Any(b => b != 0))
            {
                throw new BackupRefusedException("the archive has data after its end (tampered with?)");
            }

            Compare(manifest, seen, checkSha256: contentChecks is null);
            return manifest;
        }
    }

    private static void Compare(BackupManifest manifest, List<ManifestFile> seen, bool checkSha256)
    {
        var listed = new Dictionary<string, ManifestFile>(StringComparer.Ordinal);
        foreach (var file in manifest.Files)
        {
            if (!listed.TryAdd(file.Path, file))
            {
                throw new BackupRefusedException($"the manifest lists '{file.Path}' twice (tampered with?)");
            }
        }

        foreach (var file in seen)
        {
            if (!listed.Remove(file.Path, out var expected))
            {
                throw new BackupRefusedException($"'{file.Path}' is in the archive but not in its manifest (tampered with?)");
            }

            if (expected.Size != file.Size || (checkSha256 && !CryptographicOperations.FixedTimeEquals(
                    System.Text.Encoding.ASCII.GetBytes(expected.Sha256.ToLowerInvariant()), System.Text.Encoding.ASCII.GetBytes(file.Sha256))))
            {
                throw new BackupRefusedException($"'{file.Path}' does not match its checksum in the manifest (damaged or tampered with)");
            }
        }

        if (listed.Count > 0)
        {
            throw new BackupRefusedException($"the archive lacks {listed.Count} file(s) its manifest lists, first '{listed.Keys.Order(StringComparer.Ordinal).First()}'");
        }
    }

}
