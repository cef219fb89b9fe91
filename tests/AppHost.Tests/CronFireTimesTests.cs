using System.Globalization;
using DendriteAspire.Hosting;

namespace DendriteAspire.AppHost.Tests;

/// <summary>
/// When the published backup CronJob fires. The test runner has no CronJob controller, and the shortest schedule the
/// settings allow (15m) would make a live test wait up to a quarter of an hour for one firing; so this checks the
/// schedule itself: the cron line published for every <c>Backup:Every</c> the settings accept is read the way the
/// CronJob controller reads it (five fields, UTC as the CronJob's <c>timeZone</c> says; day of month and day of week
/// OR-ed when both are restricted), and its fire times over two years (month ends, a leap day) are exactly
/// <c>Every</c> apart. An interval whose fire times would not be is refused instead.
/// </summary>
public class CronFireTimesTests
{
    private static readonly DateTime Start = new(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Every_schedule_the_settings_can_publish_fires_exactly_every_interval_and_no_other_interval_is_published()
    {
        var published = new List<string>();
        foreach (var every in Intervals())
        {
            if (BackupCronJob.Schedule(every) is not { } line)
            {
                continue;
            }

            published.Add(Format(every));
            var cron = Cron.Parse(line);
            var fires = cron.FireTimes(Start, Start.AddDays(every >= TimeSpan.FromDays(1) ? 730 : 62)).ToList();
            Assert.True(fires.Count > 3, $"{line} ({Format(every)}) fired {fires.Count} times");
            Assert.True(fires[0] - Start < every, $"{line}: the first firing {fires[0]:u} is more than {Format(every)} after {Start:u}");
            var gaps = fires.Zip(fires.Skip(1), (a, b) => (At: a, Gap: b - a)).Where(g => g.Gap != every).ToList();
            Assert.True(gaps.Count == 0, $"{line} ({Format(every)}) fires {gaps.Count} times at another gap, first after {gaps.FirstOrDefault().At:u}: {gaps.FirstOrDefault().Gap}");
        }

        Assert.Equal(["15m", "20m", "30m", "1h", "2h", "3h", "4h", "6h", "8h", "12h", "1d", "7d"], published);
    }

    [Fact]
    public void The_reader_is_the_controllers_a_day_of_month_step_restarts_on_the_first_and_both_day_fields_are_ored()
    {
        // What the old 2d schedule did: the 31st and then the 1st.
        var everyOtherDay = Cron.Parse("17 3 */2 * *").FireTimes(new DateTime(2027, 1, 29, 0, 0, 0, DateTimeKind.Utc), new DateTime(2027, 2, 4, 0, 0, 0, DateTimeKind.Utc));
        Assert.Equal([29, 31, 1, 3], everyOtherDay.Select(t => t.Day));
        var ored = Cron.Parse("0 0 1 * 0").FireTimes(new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2027, 1, 18, 0, 0, 0, DateTimeKind.Utc));
        Assert.Equal([1, 3, 10, 17], ored.Select(t => t.Day)); // the 1st (a Friday) and every Sunday
        Assert.Equal([new DateTime(2027, 1, 3, 3, 17, 0, DateTimeKind.Utc)], Cron.Parse("17 3 * * 0").FireTimes(Start, Start.AddDays(7)));
    }

    /// <summary>Every interval <c>Backup:Every</c> accepts up to 60 days, in each unit it can be written in.</summary>
    private static IEnumerable<TimeSpan> Intervals() =>
        Enumerable.Range(15, 60 * 24 * 2).Select(m => BackupSettings.ParseInterval($"{m}m")!.Value)
            .Concat(Enumerable.Range(1, 24 * 60).Select(h => BackupSettings.ParseInterval($"{h}h")!.Value))
            .Concat(Enumerable.Range(1, 60).Select(d => BackupSettings.ParseInterval($"{d}d")!.Value))
            .Distinct()
            .Order();

    private static string Format(TimeSpan every) =>
        every.TotalDays % 1 == 0 ? $"{every.TotalDays:0}d" : every.TotalHours % 1 == 0 ? $"{every.TotalHours:0}h" : $"{every.TotalMinutes:0}m";

    /// <summary>A five-field cron line as Kubernetes' CronJob controller (robfig/cron's standard parser) reads it.</summary>
    private sealed record Cron(bool[] Minutes, bool[] Hours, bool[] Days, bool[] Months, bool[] Weekdays, bool DaysRestricted, bool WeekdaysRestricted)
    {
        public static Cron Parse(string line)
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(5, fields.Length);
            return new Cron(Field(fields[0], 0, 59), Field(fields[1], 0, 23), Field(fields[2], 1, 31), Field(fields[3], 1, 12), Field(fields[4], 0, 6),
                fields[2] is not ("*" or "?"), fields[4] is not ("*" or "?"));
        }

        public IEnumerable<DateTime> FireTimes(DateTime from, DateTime until)
        {
            for (var t = from; t < until; t = t.AddMinutes(1))
            {
                var day = Days[t.Day];
                var weekday = Weekdays[(int)t.DayOfWeek];
                var dayMatches = DaysRestricted && WeekdaysRestricted ? day || weekday : day && weekday;
                if (Minutes[t.Minute] && Hours[t.Hour] && Months[t.Month] && dayMatches)
                {
                    yield return t;
                }
            }
        }

        /// <summary><c>*</c>, <c>*/n</c>, <c>a</c>, <c>a-b</c>, <c>a-b/n</c> and lists of them.</summary>
        private static bool[] Field(string text, int low, int high)
        {
            var set = new bool[high + 1];
            foreach (var part in text.Split(','))
            {
                var (range, step) = part.Split('/') is [var r, var s] ? (r, int.Parse(s, CultureInfo.InvariantCulture)) : (part, 1);
                var (first, last) = range == "*" ? (low, high)
                    : range.Split('-') is [var a, var b] ? (int.Parse(a, CultureInfo.InvariantCulture), int.Parse(b, CultureInfo.InvariantCulture))
                    : (int.Parse(range, CultureInfo.InvariantCulture), int.Parse(range, CultureInfo.InvariantCulture));
                Assert.InRange(first, low, high);
                Assert.InRange(last, first, high);
                for (var v = first; v <= last; v += step)
                {
                    set[v] = true;
                }
            }

            return set;
        }
    }
}
