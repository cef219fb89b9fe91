using System.Buffers.Binary;

namespace DendriteAspire.Backup.Archive;

/// <summary>
/// The last 24 bytes of an unencrypted archive: a zstd skippable frame (ignored by every zstd decoder, so
/// <c>zstd -d | tar -x</c> still works) saying where the compressed data ends. zstd itself cannot tell a stream cut
/// after a complete block from a whole one, so without it a truncated archive could pass for a shorter one; an
/// encrypted archive does not need it (its final chunk is authenticated as final).
/// <code>magic 0x184D2A5D (uint32 LE) | frame size 16 (uint32 LE) | "DABKEND1" | compressed length before this frame (uint64 LE)</code>
/// </summary>
internal static class EndFrame
{
    public const int Size = 24;
    private const uint SkippableMagic = 0x184D2A5D;
    private static ReadOnlySpan<byte> Marker => "DABKEND1"u8;

    public static byte[] For(long compressedLength)
    {
        var frame = new byte[Size];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, SkippableMagic);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(4), 16);
        Marker.CopyTo(frame.AsSpan(8));
        BinaryPrimitives.WriteInt64LittleEndian(frame.AsSpan(16), compressedLength);
        return frame;
    }

    /// <summary>Null when the file ends with its end frame at the right place, else what is wrong.</summary>
    public static string? Check(FileStream file)
    {
        var length = file.Length;
        if (length < Size)
        {
            return "the archive is truncated: it is shorter than its end marker";
        }

        var tail = new byte[Size];
        file.Position = length - Size;
        file.ReadExactly(tail);
        file.Position = 0;
        if (BinaryPrimitives.ReadUInt32LittleEndian(tail) != SkippableMagic || BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(4)) != 16
            || !tail.AsSpan(8, 8).SequenceEqual(Marker))
        {
            return "the archive is truncated, or has data after its end: it does not end with its end marker";
        }

        return BinaryPrimitives.ReadInt64LittleEndian(tail.AsSpan(16)) == length - Size
            ? null
            : "the archive is truncated, or has data added: its end marker does not match its length";
    }
}
