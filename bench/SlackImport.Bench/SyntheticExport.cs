using System.Globalization;
using System.Text.Json.Nodes;

namespace DendriteAspire.SlackImport.Bench;

/// <summary>
/// A Slack export of <c>messages</c> messages in 20 channels over 5 years, 12 people: one day file per channel per day
/// with messages, one message in ten a thread reply, one in ten with a reaction, mrkdwn with mentions and emoji.
/// </summary>
internal static class SyntheticExport
{
    public const int Channels = 20;
    public const int People = 12;
    public const int Years = 5;

    public static string Write(int messages)
    {
        var root = Path.Combine(Path.GetTempPath(), "slack-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var users = new JsonArray();
        for (var i = 0; i < People; i++)
        {
            users.Add(new JsonObject { ["id"] = Id(i), ["name"] = $"person{i}", ["profile"] = new JsonObject { ["real_name"] = $"Person {i}", ["display_name"] = $"P{i}" } });
        }

        File.WriteAllText(Path.Combine(root, "users.json"), users.ToJsonString());
        var channels = new JsonArray();
        var start = new DateTimeOffset(2019, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        var span = (long)(Years * 365.25 * 86400);
        var random = new Random(19);
        for (var c = 0; c < Channels; c++)
        {
            channels.Add(new JsonObject
            {
                ["id"] = $"C{c:D8}",
                ["name"] = $"channel-{c}",
                ["created"] = start,
                ["members"] = new JsonArray([.. Enumerable.Range(0, People).Select(i => (JsonNode)JsonValue.Create(Id(i)))]),
                ["topic"] = new JsonObject { ["value"] = $"Topic {c}" },
                ["purpose"] = new JsonObject { ["value"] = "" },
            });
            var perChannel = messages / Channels + (c < messages % Channels ? 1 : 0);
            var days = new SortedDictionary<string, JsonArray>(StringComparer.Ordinal);
            string? lastRoot = null;
            for (var m = 0; m < perChannel; m++)
            {
                var seconds = start + span * m / Math.Max(1, perChannel);
                var ts = string.Create(CultureInfo.InvariantCulture, $"{seconds}.{m % 1000000:D6}");
                var author = Id(random.Next(People));
                var message = new JsonObject
                {
                    ["type"] = "message",
                    ["user"] = author,
                    ["text"] = $"Message {m} in channel {c}: *hello* <@{Id(random.Next(People))}> :tada: see <https://example.com/{m}|this>",
                    ["ts"] = ts,
                };
                if (m % 10 == 5 && lastRoot is not null)
                {
                    message["thread_ts"] = lastRoot;
                }
                else if (m % 10 == 0)
                {
                    lastRoot = ts;
                }

                if (m % 10 == 3)
                {
                    message["reactions"] = new JsonArray(new JsonObject { ["name"] = "+1", ["users"] = new JsonArray(Id(random.Next(People))), ["count"] = 1 });
                }

                var day = DateTimeOffset.FromUnixTimeSeconds(seconds).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                (days.TryGetValue(day, out var list) ? list : days[day] = []).Add(message);
            }

            var folder = Path.Combine(root, $"channel-{c}");
            Directory.CreateDirectory(folder);
            foreach (var (day, list) in days)
            {
                File.WriteAllText(Path.Combine(folder, day + ".json"), list.ToJsonString());
            }
        }

        File.WriteAllText(Path.Combine(root, "channels.json"), channels.ToJsonString());
        return root;
    }

    private static string Id(int person) => $"U{person:D8}";
}
