using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace DendriteAspire.Backup.Crypto;

/// <summary>
/// The encrypted container around a compressed archive. Documented in the README ("Encryption"), so an archive can be
/// opened without this code:
/// <code>
/// header  = "DABACKUP" | version (1 byte, 1) | kdf (1 byte, 1 = PBKDF2-HMAC-SHA256) | iterations (uint32 BE)
///           | salt (16 bytes) | chunk size (uint32 BE) | nonce prefix (4 bytes) | key check (32 bytes)
/// key     = PBKDF2-HMAC-SHA256(passphrase as UTF-8, salt, iterations, 64 bytes): bytes 0..31 are the AES-256 key;
///           key check = SHA-256(bytes 32..63), so a wrong passphrase is told apart from a damaged archive
/// chunks  = AES-256-GCM(plaintext of chunk size bytes, the last one shorter or empty) | tag (16 bytes),
///           nonce = nonce prefix | chunk index (uint64 BE), associated data = header | final flag (1 byte: 1 on the last chunk)
/// </code>
/// Every chunk is authenticated on its own (a changed byte fails its tag); the final flag and the index make a cut,
/// reordered or appended chunk fail too, so a truncated archive is never taken for a shorter one.
/// </summary>
public static class ArchiveEncryption
{
    /// <summary>The first bytes of an encrypted archive.</summary>
    public static ReadOnlySpan<byte> Magic => "DABACKUP"u8;

    /// <summary>The version byte of the header.</summary>
    public const byte FormatVersion = 1;
    /// <summary>The KDF byte for PBKDF2-HMAC-SHA256.</summary>
    public const byte KdfPbkdf2Sha256 = 1;

    /// <summary>OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256.</summary>
    public const int DefaultIterations = 600_000;

    /// <summary>Plaintext bytes per chunk: 1 MiB.</summary>
    public const int DefaultChunkSize = 1024 * 1024;
    /// <summary>The AES-GCM tag after each chunk.</summary>
    public const int TagSize = 16;
    /// <summary>The PBKDF2 salt.</summary>
    public const int SaltSize = 16;
    /// <summary>The random part of each nonce.</summary>
    public const int NoncePrefixSize = 4;
    /// <summary>The key check value.</summary>
    public const int KeyCheckSize = 32;
    /// <summary>The whole header.</summary>
    public const int HeaderSize = 8 + 1 + 1 + 4 + SaltSize + 4 + NoncePrefixSize + KeyCheckSize;

    /// <summary>The highest iteration count a header may ask for (a hostile header must not make us spin for hours).</summary>
    public const int MaxIterations = 10_000_000;

    /// <summary>True when the stream starts like an encrypted archive. Reads <see cref="Magic"/>'s length bytes.</summary>
    public static bool StartsEncrypted(ReadOnlySpan<byte> firstBytes) => firstBytes.StartsWith(Magic);

    /// <summary>A write-only stream that encrypts into <paramref name="output"/>; dispose it to write the final chunk.</summary>
    public static Stream Encrypt(Stream output, string passphrase, int iterations = DefaultIterations, int chunkSize = DefaultChunkSize, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentException.ThrowIfNullOrEmpty(passphrase);
        var salt = RandomNumberGenerator.GetBytes(SaltSize);
        var noncePrefix = RandomNumberGenerator.GetBytes(NoncePrefixSize);
        var (key, check) = DeriveKey(passphrase, salt, iterations);
        var header = new byte[HeaderSize];
        var span = header.AsSpan();
        Magic.CopyTo(span);
        span[8] = FormatVersion;
        span[9] = KdfPbkdf2Sha256;
        BinaryPrimitives.WriteUInt32BigEndian(span[10..], (uint)iterations);
        salt.CopyTo(span[14..]);
        BinaryPrimitives.WriteUInt32BigEndian(span[30..], (uint)chunkSize);
        noncePrefix.CopyTo(span[34..]);
        check.CopyTo(span[38..]);
        output.Write(header);
        return new EncryptingStream(output, key, header, chunkSize, leaveOpen);
    }

    /// <summary>
    /// A read-only stream of the plaintext. Throws <see cref="BackupRefusedException"/> at once for a wrong passphrase
    /// or a damaged header, and while reading for a tampered, truncated or extended archive.
    /// </summary>
    public static Stream Decrypt(Stream input, string passphrase, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentException.ThrowIfNullOrEmpty(passphrase);
        var header = new byte[HeaderSize];
        if (input.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false) < HeaderSize || !StartsEncrypted(header))
        {
            throw new BackupRefusedException("the archive is truncated: its encryption header is incomplete");
        }

        if (header[8] != FormatVersion || header[9] != KdfPbkdf2Sha256)
        {
            throw new BackupRefusedException($"the archive's encryption format {header[8]}/{header[9]} is not one this version reads (1/1)");
        }

        var iterations = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(10));
        var chunkSize = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(30));
        if (iterations is 0 or > MaxIterations || chunkSize is 0 or > 64 * 1024 * 1024)
        {
            throw new BackupRefusedException("the archive's encryption header is damaged (iterations or chunk size out of range)");
        }

        var (key, check) = DeriveKey(passphrase, header.AsSpan(14, SaltSize), (int)iterations);
        if (!CryptographicOperations.FixedTimeEquals(check, header.AsSpan(38, KeyCheckSize)))
        {
            throw new BackupRefusedException("wrong passphrase: the key it gives does not match the archive's key check");
        }

        return new DecryptingStream(input, key, header, (int)chunkSize, leaveOpen);
    }

    internal static (byte[] Key, byte[] Check) DeriveKey(string passphrase, ReadOnlySpan<byte> salt, int iterations)
    {
        var material = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(passphrase), salt, iterations, HashAlgorithmName.SHA256, 64);
        var key = material[..32];
        var check = SHA256.HashData(material.AsSpan(32));
        CryptographicOperations.ZeroMemory(material);
        return (key, check);
    }

    internal static void Nonce(ReadOnlySpan<byte> header, long index, Span<byte> nonce)
    {
        header.Slice(34, NoncePrefixSize).CopyTo(nonce);
        BinaryPrimitives.WriteInt64BigEndian(nonce[NoncePrefixSize..], index);
    }

    internal static byte[] AssociatedData(byte[] header, bool final)
    {
        var data = new byte[header.Length + 1];
        header.CopyTo(data, 0);
        data[^1] = final ? (byte)1 : (byte)0;
        return data;
    }
}
