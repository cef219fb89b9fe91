using System.Globalization;
using System.Text.RegularExpressions;

namespace DendriteAspire.ConfigRenderer.Model;

/// <summary>
/// A size in Dendrite's <c>DataUnit</c> form: a number with an optional case-insensitive <c>tb</c>, <c>gb</c>,
/// <c>mb</c> or <c>kb</c> suffix (binary units), e.g. <c>1gb</c> or <c>512mb</c>. A bare number means bytes. The text
/// is kept as written; <see cref="TryGetBytes"/> says whether Dendrite would accept it.
/// </summary>
public sealed partial record DataUnit(string Text)
{
    public static DataUnit Megabytes(long value) => new(value.ToString(CultureInfo.InvariantCulture) + "mb");

    public bool TryGetBytes(out long bytes)
    {
        bytes = 0;
        var match = Format().Match(Text);
        if (!match.Success)
        {
            return false;
        }

        if (!double.TryParse(match.Groups["number"].Value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint,
                CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        var multiplier = match.Groups["unit"].Value.ToUpperInvariant() switch
        {
            "TB" => 1024d * 1024 * 1024 * 1024,
            "GB" => 1024d * 1024 * 1024,
            "MB" => 1024d * 1024,
            "KB" => 1024d,
            _ => 1d,
        };
        var value = number * multiplier;
        if (value is > long.MaxValue or < long.MinValue)
        {
            return false;
        }

        bytes = (long)value;
        return true;
    }

    public override string ToString() => Text;

    [GeneratedRegex(@"^(?<number>[-+]?[0-9]*\.?[0-9]+)(?<unit>[tTgGmMkK][bB])?$")]
    private static partial Regex Format();
}
