using System.Globalization;

namespace DendriteAspire.SlackImport.Export;

/// <summary>Slack's message ids: Unix seconds with a six-digit sequence, <c>"1355517523.000005"</c>.</summary>
public static class SlackTs
{
    /// <summary>True for <c>digits[.digits]</c>.</summary>
    public static bool IsValid(string? ts)
    {
        if (string.IsNullOrEmpty(ts))
        {
            return false;
        }

        var parts = ts.Split('.');
        return parts.Length <= 2 && parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit)) && parts[0].Length <= 12;
    }

    /// <summary>Milliseconds since the epoch (the sequence's first three digits are sub-second in Slack's exports).</summary>
    public static long ToMilliseconds(string ts)
    {
        var parts = ts.Split('.');
        var seconds = long.Parse(parts[0], CultureInfo.InvariantCulture);
        var fraction = parts.Length > 1 ? (parts[1] + "000")[..3] : "000";
        return seconds * 1000 + int.Parse(fraction, CultureInfo.InvariantCulture);
    }

    /// <summary>Orders ts values by time, then by sequence (string comparison fails for "9.1" vs "10.0").</summary>
    public static int Compare(string a, string b)
    {
        var pa = a.Split('.');
        var pb = b.Split('.');
        var bySeconds = long.Parse(pa[0], CultureInfo.InvariantCulture).CompareTo(long.Parse(pb[0], CultureInfo.InvariantCulture));
        if (bySeconds != 0)
        {
            return bySeconds;
        }

        var fa = pa.Length > 1 ? pa[1].PadRight(6, '0') : "000000";
        var fb = pb.Length > 1 ? pb[1].PadRight(6, '0') : "000000";
        return string.CompareOrdinal(fa, fb);
    }
}
