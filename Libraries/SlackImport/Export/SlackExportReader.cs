using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DendriteAspire.SlackImport.Export;

/// <summary>
/// Reads a Slack export (Slack's own, slackdump's, slack-advanced-exporter's) into a <see cref="SlackExport"/>.
/// What a real export holds, from Slack's "How to read Slack data exports" and the exports of slackdump and
/// Mattermost's importer:
/// <list type="bullet">
/// <item><c>users.json</c> (required), <c>channels.json</c>, and where the export has them <c>groups.json</c>
/// (private channels), <c>dms.json</c> (DMs, folder named by id), <c>mpims.json</c> (group DMs, folder named
/// <c>mpdm-a--b-1</c>); <c>org_users.json</c> on Enterprise Grid. Unknown top-level files (integration_logs.json,
/// canvases.json) are ignored.</item>
/// <item>One folder per conversation (its name; for DMs the id) with a <c>YYYY-MM-DD.json</c> array per day.</item>
/// <item>2016-era messages: a single <c>file</c> with subtype <c>file_share</c>, <c>file_comment</c>, bot
/// messages with only <c>attachments</c> and an empty <c>text</c>, threads as <c>replies</c> lists. Today's: a
/// <c>files</c> array, <c>blocks</c> beside <c>text</c>, <c>thread_ts</c> with <c>reply_count</c> and
/// <c>latest_reply</c>, <c>tombstone</c> parents, <c>bot_profile</c>.</item>
/// <item>File bytes: slackdump's standard export keeps them in <c>&lt;folder&gt;/attachments/&lt;file id&gt;-&lt;name&gt;</c>;
/// its Mattermost mode and slack-advanced-exporter in <c>__uploads/&lt;file id&gt;/&lt;name&gt;</c> (slackdump's
/// <c>source/filestorage.go</c>; names there are sanitised, so files are found by id). Slack's own export holds
/// only <c>url_private</c> links.</item>
/// </list>
/// </summary>
public static partial class SlackExportReader
{
    /// <summary>Slackbot: posts in every workspace and is never in <c>users.json</c>.</summary>
    public const string SlackbotId = "USLACKBOT";

    private static readonly string[] UserLists = ["users.json", "org_users.json"];

    /// <summary>Reads and checks the export at <paramref name="location"/> (ZIP or folder).</summary>
    /// <exception cref="SlackExportException">The export cannot be read; the message names the file and entry.</exception>
    public static SlackExport Read(string location)
    {
        using var source = ExportSource.Open(location);
        return Read(source);
    }

    /// <summary>Reads an opened export. File bytes are read later, when they are uploaded.</summary>
    public static SlackExport Read(ExportSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!source.Exists("users.json"))
        {
            throw new SlackExportException($"{source.Location}: has no users.json, so it is not a Slack export (or not its root); give the ZIP Slack wrote, or the folder that holds users.json and channels.json");
        }

        var users = new Dictionary<string, SlackUser>(StringComparer.Ordinal);
        foreach (var file in UserLists.Where(source.Exists))
        {
            foreach (var (user, index) in ReadArray(source, file).Select((u, i) => (u, i)))
            {
                var parsed = ReadUser(user, $"{file}[{index}]");
                users.TryAdd(parsed.Id, parsed);
            }
        }

        users.TryAdd(SlackbotId, new SlackUser(SlackbotId, "slackbot", "Slackbot", IsBot: true, Deleted: false));

        var fileIndex = IndexFiles(source);
        var bots = new Dictionary<string, SlackBot>(StringComparer.Ordinal);
        var conversations = new List<SlackConversation>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (file, kind) in new[]
                 {
                     ("channels.json", ConversationKind.Channel), ("groups.json", ConversationKind.PrivateChannel),
                     ("dms.json", ConversationKind.DirectMessage), ("mpims.json", ConversationKind.GroupDirectMessage),
                 })
        {
            if (!source.Exists(file))
            {
                continue;
            }

            foreach (var (element, index) in ReadArray(source, file).Select((c, i) => (c, i)))
            {
                var entry = $"{file}[{index}]";
                var conversation = ReadConversation(source, element, kind, entry, fileIndex, bots);
                if (!seen.Add(conversation.Id))
                {
                    throw new SlackExportException($"{source.Location}: {entry} repeats conversation id {conversation.Id}; each conversation must be listed once");
                }

                conversations.Add(conversation);
            }
        }

        if (conversations.Count == 0)
        {
            throw new SlackExportException($"{source.Location}: lists no conversations (no channels.json, groups.json, dms.json or mpims.json with entries); there is nothing to import");
        }

        return new SlackExport(source.Location, users, bots, conversations);
    }

    private static SlackUser ReadUser(JsonElement user, string entry)
    {
        var id = RequiredString(user, "id", entry);
        var profile = user.TryGetProperty("profile", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        var name = String(user, "name") ?? id.ToLowerInvariant();
        var display = FirstNonEmpty(String(profile, "display_name"), String(profile, "real_name"), String(user, "real_name"), name)!;
        var isBot = Bool(user, "is_bot") || Bool(user, "is_app_user") || id == SlackbotId;
        return new SlackUser(id, name, display, isBot, Bool(user, "deleted"));
    }

    private static SlackConversation ReadConversation(
        ExportSource source, JsonElement element, ConversationKind kind, string entry,
        IReadOnlyDictionary<string, string> fileIndex, Dictionary<string, SlackBot> bots)
    {
        var id = RequiredString(element, "id", entry);
        var name = String(element, "name");
        if (kind is ConversationKind.Channel or ConversationKind.PrivateChannel && string.IsNullOrEmpty(name))
        {
            throw new SlackExportException($"{source.Location}: {entry} (conversation {id}) has no \"name\"; Slack names every channel, so the file is damaged");
        }

        var members = element.TryGetProperty("members", out var m) && m.ValueKind == JsonValueKind.Array
            ? m.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).Distinct(StringComparer.Ordinal).ToList()
            : [];
        if (kind == ConversationKind.DirectMessage && members.Count == 0 && element.TryGetProperty("user", out var other))
        {
            members.Add(other.GetString() ?? "");
        }

        // Channels' folders are their names; DMs' their ids. Some tools name every folder by id: accept both.
        var folder = new[] { name, id }.FirstOrDefault(f => !string.IsNullOrEmpty(f) && source.Files.Any(x => x.StartsWith(f + "/", StringComparison.Ordinal))) ?? name ?? id;
        var messages = new Dictionary<string, SlackMessage>(StringComparer.Ordinal);
        foreach (var day in source.Files.Where(f => IsDayFile(f, folder)).Order(StringComparer.Ordinal))
        {
            foreach (var (message, index) in ReadArray(source, day).Select((x, i) => (x, i)))
            {
                var parsed = ReadMessage(message, $"{day}[{index}]", folder, fileIndex, bots);
                if (parsed is not null)
                {
                    // slackdump writes a thread's replies under their own day; a repeat keeps the later copy.
                    messages[parsed.Ts] = parsed;
                }
            }
        }

        return new SlackConversation(
            id, kind, name ?? id, folder, Long(element, "created"),
            NonEmpty(Nested(element, "topic", "value")), NonEmpty(Nested(element, "purpose", "value")),
            Bool(element, "is_archived"), members,
            [.. messages.Values.OrderBy(x => x.Ts, Comparer<string>.Create(SlackTs.Compare))]);
    }

    private static bool IsDayFile(string path, string folder) =>
        path.StartsWith(folder + "/", StringComparison.Ordinal) && DayFile().IsMatch(path[(folder.Length + 1)..]);

    private static SlackMessage? ReadMessage(JsonElement m, string entry, string folder, IReadOnlyDictionary<string, string> fileIndex, Dictionary<string, SlackBot> bots)
    {
        if (m.ValueKind != JsonValueKind.Object)
        {
            throw new SlackExportException($"{entry}: is not a message object");
        }

        if (String(m, "type") is { } type && type != "message")
        {
            return null; // Not a message (e.g. a "huddle" record); nothing to import.
        }

        var ts = String(m, "ts");
        if (!SlackTs.IsValid(ts))
        {
            throw new SlackExportException($"{entry}: has no valid \"ts\" (found \"{ts}\"); every Slack message has one such as \"1355517523.000005\"");
        }

        var subtype = String(m, "subtype");
        var user = String(m, "user");
        var text = String(m, "text") ?? "";
        var botId = String(m, "bot_id");
        string? detail = null;
        var kind = SlackMessageKind.Text;
        switch (subtype)
        {
            case null or "thread_broadcast" or "reply_broadcast" or "file_share" or "file_mention":
                break;
            case "file_comment":
                // 2016: a comment on a file is its own message; the commenter is in "comment".
                if (m.TryGetProperty("comment", out var comment) && comment.ValueKind == JsonValueKind.Object)
                {
                    user = String(comment, "user") ?? user;
                    text = String(comment, "comment") ?? text;
                }

                break;
            case "me_message":
                kind = SlackMessageKind.Emote;
                break;
            case "bot_message" or "slackbot_response":
                kind = SlackMessageKind.Bot;
                break;
            case "tombstone":
                kind = SlackMessageKind.Tombstone;
                break;
            case "channel_join" or "group_join":
                kind = SlackMessageKind.Join;
                break;
            case "channel_leave" or "group_leave":
                kind = SlackMessageKind.Leave;
                break;
            case "channel_topic" or "group_topic":
                kind = SlackMessageKind.TopicChange;
                detail = String(m, "topic") ?? "";
                break;
            case "channel_purpose" or "group_purpose":
                kind = SlackMessageKind.PurposeChange;
                detail = String(m, "purpose") ?? "";
                break;
            case "channel_name" or "group_name":
                kind = SlackMessageKind.NameChange;
                detail = String(m, "name") ?? "";
                break;
            default:
                kind = SlackMessageKind.Skipped;
                detail = $"subtype {subtype} is a Slack notice, not a message";
                break;
        }

        if (kind == SlackMessageKind.Text && (botId is not null || subtype == "bot_message") && user is null)
        {
            kind = SlackMessageKind.Bot;
        }

        string? author = user;
        if (kind == SlackMessageKind.Bot)
        {
            if (subtype == "slackbot_response")
            {
                author = SlackbotId;
            }
            else if (user is null)
            {
                // An integration without a member: one account per bot id (or per name for id-less webhooks).
                var name = FirstNonEmpty(Nested(m, "bot_profile", "name"), String(m, "username"), botId) ?? "integration";
                var id = botId ?? "B-" + name;
                bots.TryAdd(id, new SlackBot(id, name));
                author = id;
            }
        }
        else if (kind == SlackMessageKind.Tombstone)
        {
            author = null;
        }

        if (text.Length == 0)
        {
            text = AttachmentText(m) ?? BlockText(m) ?? "";
        }

        var files = new List<SlackFile>();
        if (m.TryGetProperty("files", out var fs) && fs.ValueKind == JsonValueKind.Array)
        {
            files.AddRange(fs.EnumerateArray().Select(f => ReadFile(f, fileIndex)).OfType<SlackFile>());
        }
        else if (m.TryGetProperty("file", out var f1) && f1.ValueKind == JsonValueKind.Object && subtype != "file_comment")
        {
            if (ReadFile(f1, fileIndex) is { } file)
            {
                files.Add(file);
            }

            // 2016 file_share text is "<@U…|bob> uploaded a file: <url|name>"; the file event says it.
            if (subtype == "file_share" && (text.Contains("uploaded a file", StringComparison.Ordinal) || text.Contains("shared a file", StringComparison.Ordinal)))
            {
                text = String(f1, "initial_comment") is { } c ? c : InitialComment(f1) ?? "";
            }
        }

        var reactions = new List<SlackReaction>();
        if (m.TryGetProperty("reactions", out var rs) && rs.ValueKind == JsonValueKind.Array)
        {
            foreach (var r in rs.EnumerateArray())
            {
                var name = String(r, "name");
                if (string.IsNullOrEmpty(name))
                {
                    continue;
                }

                var who = r.TryGetProperty("users", out var us) && us.ValueKind == JsonValueKind.Array
                    ? us.EnumerateArray().Select(u => u.GetString()).OfType<string>().Distinct(StringComparer.Ordinal).ToList()
                    : [];
                var count = r.TryGetProperty("count", out var cnt) && cnt.TryGetInt32(out var c) ? c : who.Count;
                reactions.Add(new SlackReaction(name, who, count));
            }
        }

        var threadTs = String(m, "thread_ts");
        if (threadTs is not null && !SlackTs.IsValid(threadTs))
        {
            throw new SlackExportException($"{entry}: \"thread_ts\" \"{threadTs}\" is not a Slack ts");
        }

        return new SlackMessage(entry, ts!, kind, author, text, threadTs == ts ? null : threadTs,
            m.TryGetProperty("edited", out var ed) && ed.ValueKind == JsonValueKind.Object, detail, files, reactions);
    }

    private static string? InitialComment(JsonElement file) =>
        file.TryGetProperty("initial_comment", out var c) && c.ValueKind == JsonValueKind.Object ? String(c, "comment") : null;

    private static SlackFile? ReadFile(JsonElement f, IReadOnlyDictionary<string, string> fileIndex)
    {
        var id = String(f, "id");
        if (string.IsNullOrEmpty(id))
        {
            return null;
        }

        var name = FirstNonEmpty(String(f, "name"), String(f, "title"), id)!;
        var mode = String(f, "mode");
        var url = mode is "tombstone" or "hidden_by_limit" ? null : FirstNonEmpty(String(f, "url_private_download"), String(f, "url_private"));
        var size = f.TryGetProperty("size", out var s) && s.TryGetInt64(out var n) ? n : 0;
        return new SlackFile(id, name, FirstNonEmpty(String(f, "title"), name)!, String(f, "mimetype") ?? "application/octet-stream", size,
            fileIndex.GetValueOrDefault(id), url);
    }

    /// <summary>Where the export keeps file bytes, by file id: <c>*/attachments/&lt;id&gt;-*</c> and <c>__uploads/&lt;id&gt;/*</c>.</summary>
    private static Dictionary<string, string> IndexFiles(ExportSource source)
    {
        var index = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in source.Files.Order(StringComparer.Ordinal))
        {
            var parts = path.Split('/');
            if (parts.Length == 3 && parts[0] == "__uploads")
            {
                index.TryAdd(parts[1], path);
            }
            else if (parts.Length >= 3 && parts[^2] == "attachments" && parts[^1].IndexOf('-', StringComparison.Ordinal) is > 0 and var dash)
            {
                index.TryAdd(parts[^1][..dash], path);
            }
        }

        return index;
    }

    /// <summary>What an attachment-only bot message says: pretext, title, text, else the fallback.</summary>
    private static string? AttachmentText(JsonElement m)
    {
        if (!m.TryGetProperty("attachments", out var atts) || atts.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var parts = new List<string>();
        foreach (var a in atts.EnumerateArray())
        {
            var own = new[] { String(a, "pretext"), TitleOf(a), String(a, "text") }.Where(x => !string.IsNullOrEmpty(x)).ToList();
            if (own.Count == 0 && NonEmpty(String(a, "fallback")) is { } fallback)
            {
                own.Add(fallback);
            }

            parts.AddRange(own!);
        }

        return parts.Count > 0 ? string.Join("\n", parts) : null;
    }

    private static string? TitleOf(JsonElement a) =>
        String(a, "title") is { Length: > 0 } title
            ? String(a, "title_link") is { Length: > 0 } link ? $"<{link}|{title}>" : title
            : null;

    /// <summary>The text of Block Kit messages that carry no <c>text</c>: sections, headers and rich text.</summary>
    private static string? BlockText(JsonElement m)
    {
        if (!m.TryGetProperty("blocks", out var blocks) || blocks.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var builder = new StringBuilder();
        foreach (var block in blocks.EnumerateArray())
        {
            if (Nested(block, "text", "text") is { Length: > 0 } t)
            {
                builder.AppendLine(t);
            }
            else if (block.TryGetProperty("elements", out var elements))
            {
                AppendRichText(elements, builder);
                builder.AppendLine();
            }
        }

        var text = builder.ToString().Trim();
        return text.Length > 0 ? text : null;
    }

    private static void AppendRichText(JsonElement elements, StringBuilder builder)
    {
        if (elements.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var e in elements.EnumerateArray())
        {
            switch (String(e, "type"))
            {
                case "text":
                    builder.Append(String(e, "text"));
                    break;
                case "link":
                    builder.Append(CultureInfo.InvariantCulture, $"<{String(e, "url")}{(String(e, "text") is { Length: > 0 } l ? "|" + l : "")}>");
                    break;
                case "user":
                    builder.Append(CultureInfo.InvariantCulture, $"<@{String(e, "user_id")}>");
                    break;
                case "channel":
                    builder.Append(CultureInfo.InvariantCulture, $"<#{String(e, "channel_id")}>");
                    break;
                case "emoji":
                    builder.Append(CultureInfo.InvariantCulture, $":{String(e, "name")}:");
                    break;
                default:
                    if (e.TryGetProperty("elements", out var inner))
                    {
                        AppendRichText(inner, builder);
                    }

                    break;
            }
        }
    }

    private static List<JsonElement> ReadArray(ExportSource source, string path)
    {
        var bytes = source.ReadAllBytes(path);
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowTrailingCommas = true });
            return document.RootElement.ValueKind == JsonValueKind.Array
                ? [.. document.RootElement.EnumerateArray().Select(e => e.Clone())]
                : throw new SlackExportException($"{source.Location}: {path} is not a JSON array; Slack writes each list and day file as [ ... ]");
        }
        catch (JsonException e)
        {
            throw new SlackExportException($"{source.Location}: {path} is not valid JSON ({e.Message}); the export is damaged, export again", e);
        }
    }

    private static string RequiredString(JsonElement element, string property, string entry) =>
        NonEmpty(String(element, property)) ?? throw new SlackExportException($"{entry}: has no \"{property}\"");

    internal static string? String(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static string? Nested(JsonElement element, string outer, string inner) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(outer, out var o) ? String(o, inner) : null;

    private static bool Bool(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.True;

    private static long Long(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value)
            ? value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n
            : value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0
            : 0;

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static string? FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}\.json$")]
    private static partial Regex DayFile();
}
