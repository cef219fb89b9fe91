using System.Globalization;
using System.Text;

namespace DendriteAspire.Bench;

/// <summary>The printed result: one row per measurement, with the goal and whether it was met.</summary>
internal sealed class ResultTable
{
    private static readonly string[] Header = ["measurement", "aspire", "baseline", "ratio", "goal", "result"];
    private readonly List<string[]> rows = [];
    private readonly List<string> notes = [];

    public void Add(string measurement, string aspire, string baseline = "", string ratio = "", string goal = "", string result = "") =>
        rows.Add([measurement, aspire, baseline, ratio, goal, result]);

    /// <summary>A row that could not be measured; the reason is printed once, under the table.</summary>
    public void Skipped(string measurement, string reason, string goal = "")
    {
        if (!notes.Contains(reason))
        {
            notes.Add(reason);
        }

        Add(measurement, $"skipped: see note {notes.IndexOf(reason) + 1}", goal: goal);
    }

    public static string Seconds(TimeSpan? value) =>
        value is { } v ? v.TotalSeconds.ToString("0.00 s", CultureInfo.InvariantCulture) : "n/a";

    public static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    public override string ToString()
    {
        var all = rows.Prepend(Header).ToList();
        var widths = Enumerable.Range(0, Header.Length).Select(c => all.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var (row, index) in all.Select((r, i) => (r, i)))
        {
            text.AppendLine(string.Join(" | ", row.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
            if (index == 0)
            {
                text.AppendLine(string.Join("-|-", widths.Select(w => new string('-', w))));
            }
        }

        foreach (var (note, index) in notes.Select((n, i) => (n, i)))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"note {index + 1}: skipped: {note}");
        }

        return text.ToString();
    }
}
