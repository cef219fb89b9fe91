using System.Globalization;
using System.Text.RegularExpressions;

namespace DendriteAspire.ConfigRenderer.Model;

/// <summary>
/// A Go duration string such as <c>5m</c>, <c>1h</c> or <c>168h0m0s</c>. Dendrite reads durations with yaml.v2, which
/// takes a bare integer as nanoseconds, so a duration is always written as text with a unit. The text is kept as
/// written so an existing config round-trips unchanged; <see cref="TryGetTimeSpan"/> says whether Go would accept it.
/// </summary>
public sealed partial record GoDuration(string Text)
{
    private static readonly (string Unit, double Ticks)[] Units =
    [
        ("ns", 0.01), ("us", 10), ("µs", 10), ("μs", 10), ("ms", TimeSpan.TicksPerMillisecond),
        ("s", TimeSpan.TicksPerSecond), ("m", TimeSpan.TicksPerMinute), ("h", TimeSpan.TicksPerHour),
    ];

    public static GoDuration FromTimeSpan(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return new GoDuration("0s");
        }

        var sign = value < TimeSpan.Zero ? "-" : "";
        var abs = value.Duration();
        var text = sign;
        var hours = (long)abs.TotalHours;
        if (hours > 0)
        {
            text += hours.ToString(CultureInfo.InvariantCulture) + "h";
        }

        if (abs.Minutes > 0)
        {
            text += abs.Minutes.ToString(CultureInfo.InvariantCulture) + "m";
        }

        if (abs.Seconds > 0 || abs.Milliseconds > 0)
        {
            text += abs.Milliseconds > 0
                ? (abs.Seconds + (abs.Milliseconds / 1000.0)).ToString(CultureInfo.InvariantCulture) + "s"
                : abs.Seconds.ToString(CultureInfo.InvariantCulture) + "s";
        }

        return new GoDuration(text);
    }

    /// <summary>True when the text is a bare number, which yaml.v2 would read as nanoseconds.</summary>
    public bool IsBareNumber => BareNumber().IsMatch(Text.Trim());

    /// <summary>Parses the text the way Go's <c>time.ParseDuration</c> does.</summary>
    public bool TryGetTimeSpan(out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var text = Text.Trim();
        if (text.Length == 0)
        {
            return false;
        }

        var negative = false;
        if (text[0] is '-' or '+')
        {
            negative = text[0] == '-';
            text = text[1..];
        }

        if (text == "0")
        {
            return true;
        }

        var matches = Part().Matches(text);
        if (matches.Count == 0 || string.Concat(matches.Select(m => m.Value)) != text)
        {
            return false;
        }

        double ticks = 0;
        foreach (Match match in matches)
        {
            var number = match.Groups["number"].Value;
            if (number is "" or ".")
            {
                return false;
            }

            var unit = Units.FirstOrDefault(u => u.Unit == match.Groups["unit"].Value);
            if (unit.Unit is null)
            {
                return false;
            }

            ticks += double.Parse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) * unit.Ticks;
        }

        if (ticks > TimeSpan.MaxValue.Ticks)
        {
            return false;
        }

        value = TimeSpan.FromTicks((long)(negative ? -ticks : ticks));
        return true;
    }

    public override string ToString() => Text;

    [GeneratedRegex(@"(?<number>[0-9]*\.?[0-9]*)(?<unit>[^0-9.]+)")]
    private static partial Regex Part();

    [GeneratedRegex(@"^[-+]?[0-9]+(\.[0-9]*)?$")]
    private static partial Regex BareNumber();
}
