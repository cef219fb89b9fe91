using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using YamlDotNet.Core;

namespace DendriteAspire.ConfigRenderer.Lint;

/// <summary>What gopkg.in/yaml.v2 (v2.4.0, resolve.go) makes of a scalar before it looks at the Go field.</summary>
internal enum ResolvedKind { Null, Bool, Int, Float, Timestamp, Text }

internal readonly record struct ResolvedScalar(ResolvedKind Kind, bool Bool = false, BigInteger Int = default, double Float = 0);

/// <summary>
/// yaml.v2's YAML 1.1 scalar resolution. A quoted scalar (or one tagged <c>!!str</c>) is always text; a plain one is
/// null, a boolean (<c>y Y yes Yes YES true True TRUE on On ON</c> and their false counterparts
/// <c>n N no No NO false False FALSE off Off OFF</c>, no other casing), an integer (underscores allowed, <c>0x</c>,
/// <c>0o</c>, <c>0b</c> and leading-zero octal), a float, a timestamp, or else text.
/// </summary>
internal static partial class YamlV2Scalars
{
    public static readonly IReadOnlySet<string> True = new HashSet<string>(StringComparer.Ordinal)
    {
        "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
    };

    public static readonly IReadOnlySet<string> False = new HashSet<string>(StringComparer.Ordinal)
    {
        "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
    };

    private static readonly HashSet<string> Nulls = new(StringComparer.Ordinal) { "", "~", "null", "Null", "NULL" };

    private static readonly Dictionary<string, double> SpecialFloats = new(StringComparer.Ordinal)
    {
        [".nan"] = double.NaN, [".NaN"] = double.NaN, [".NAN"] = double.NaN,
        [".inf"] = double.PositiveInfinity, [".Inf"] = double.PositiveInfinity, [".INF"] = double.PositiveInfinity,
        ["+.inf"] = double.PositiveInfinity, ["+.Inf"] = double.PositiveInfinity, ["+.INF"] = double.PositiveInfinity,
        ["-.inf"] = double.NegativeInfinity, ["-.Inf"] = double.NegativeInfinity, ["-.INF"] = double.NegativeInfinity,
    };

    public static ResolvedScalar Resolve(SourceScalar scalar)
    {
        if (scalar.Tag is "tag:yaml.org,2002:str" or "!!str" || (scalar.Style != ScalarStyle.Plain && scalar.Tag is null))
        {
            return new(ResolvedKind.Text);
        }

        var text = scalar.Value;
        if (Nulls.Contains(text))
        {
            return new(ResolvedKind.Null);
        }

        if (True.Contains(text) || False.Contains(text))
        {
            return new(ResolvedKind.Bool, Bool: True.Contains(text));
        }

        if (SpecialFloats.TryGetValue(text, out var special))
        {
            return new(ResolvedKind.Float, Float: special);
        }

        var first = text[0];
        if (first == '.')
        {
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var dotted)
                ? new(ResolvedKind.Float, Float: dotted)
                : new(ResolvedKind.Text);
        }

        if (!char.IsAsciiDigit(first) && first is not ('+' or '-'))
        {
            return new(ResolvedKind.Text);
        }

        if (Timestamp().IsMatch(text))
        {
            return new(ResolvedKind.Timestamp);
        }

        var plain = text.Replace("_", "", StringComparison.Ordinal);
        if (TryParseGoInteger(plain, out var integer))
        {
            return new(ResolvedKind.Int, Int: integer);
        }

        if (YamlFloat().IsMatch(plain) && double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return new(ResolvedKind.Float, Float: number);
        }

        return new(ResolvedKind.Text);
    }

    /// <summary>Go's <c>strconv.ParseInt(s, 0, 64)</c>/<c>ParseUint</c> prefixes: 0x, 0o, 0b and a leading 0 for octal.</summary>
    private static bool TryParseGoInteger(string text, out BigInteger value)
    {
        value = BigInteger.Zero;
        var negative = text.StartsWith('-');
        var digits = text.TrimStart('+', '-');
        if (text.Length - digits.Length > 1 || digits.Length == 0)
        {
            return false;
        }

        var (radix, body) = digits switch
        {
            _ when digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase) => (16, digits[2..]),
            _ when digits.StartsWith("0o", StringComparison.OrdinalIgnoreCase) => (8, digits[2..]),
            _ when digits.StartsWith("0b", StringComparison.OrdinalIgnoreCase) => (2, digits[2..]),
            _ when digits.Length > 1 && digits[0] == '0' => (8, digits[1..]),
            _ => (10, digits),
        };
        if (body.Length == 0)
        {
            return false;
        }

        foreach (var c in body)
        {
            var digit = char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiLetter(c) ? char.ToLowerInvariant(c) - 'a' + 10 : 99;
            if (digit >= radix)
            {
                return false;
            }

            value = (value * radix) + digit;
        }

        if (negative)
        {
            value = -value;
        }

        return value >= long.MinValue && value <= ulong.MaxValue;
    }

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex YamlFloat();

    [GeneratedRegex(@"^[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(([Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](\.[0-9]*)?([ \t]*(Z|[-+][0-9][0-9]?(:[0-9][0-9])?))?)?$")]
    private static partial Regex Timestamp();
}
