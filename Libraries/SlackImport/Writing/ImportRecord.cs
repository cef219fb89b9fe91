using System.Text.Json;
using System.Text.Json.Nodes;

namespace DendriteAspire.SlackImport.Writing;

/// <summary>
/// What was imported is recorded in the rooms themselves, not in a side store:
/// <list type="bullet">
/// <item>each room the import creates carries the state event <see cref="ConversationState"/> (Slack channel id,
/// kind, name) in its <c>initial_state</c>, so it is marked in the same request that creates it; the Space carries
/// <see cref="WorkspaceState"/>;</item>
/// <item>every event written for a Slack message carries <see cref="ContentKey"/> in its content: the Slack
/// channel id, the message's <c>ts</c> and which part of the message it is (text, a file, a reaction, a join).</item>
/// </list>
/// A second or resumed run reads the import bot's rooms and their timelines and skips every part already there.
/// The record is written in the same request as the event it describes, so there is no gap in which an event
/// exists without its record (a crash can only lose an upload, never duplicate a message); it survives as long as
/// the rooms do, is backed up and restored with the database, and cannot drift from it. The import never touches a
/// room without <see cref="ConversationState"/>.
/// </summary>
public static class ImportRecord
{
    public const string ConversationState = "org.dendriteaspire.slack.conversation";
    public const string WorkspaceState = "org.dendriteaspire.slack.workspace";
    public const string PurposeState = "org.dendriteaspire.slack.purpose";

    /// <summary>
    /// Marks the import's progress room: the bot and its watcher, where the import posts a progress line every few
    /// hundred events and waits until Dendrite's user API has handled it (<see cref="UserApiPacer"/>). Not in the Space;
    /// no person is a member.
    /// </summary>
    public const string ProgressState = "org.dendriteaspire.slack.progress";

    /// <summary>The progress room's second member, whose notifications show how far Dendrite's user API has got.</summary>
    public const string WatcherLocalpart = "slack-import-watch";
    public const string ContentKey = "org.dendriteaspire.slack";

    /// <summary>
    /// A second mark on every event the import writes, under a key without dots, so a push rule can match it
    /// (Dendrite reads an <c>event_match</c> key as a dotted path; <see cref="ContentKey"/> has dots of its own).
    /// </summary>
    public const string HistoryKey = "org_dendriteaspire_slack_history";

    /// <summary>The value of <see cref="HistoryKey"/>.</summary>
    public const string HistoryValue = "imported from Slack";

    /// <summary>
    /// The override push rule every account the import posts for (and the admin) gets: events carrying
    /// <see cref="HistoryKey"/> do not notify. Without it every imported message would count as unread, highlight
    /// every mention and reach everyone's phone through their pushers. It matches imported history only, so it stays:
    /// a live message in the same room notifies as usual. Dendrite evaluates a user's own override rules before the
    /// server's defaults (<c>internal/pushrules/evaluate.go</c>), and notifies asynchronously, after the send has
    /// been answered, which is why the mark is on the event rather than the rule on the room for a while.
    /// </summary>
    public const string HistoryRuleId = "org.dendriteaspire.slack.history";

    /// <summary>The marker for one written part of a Slack message.</summary>
    public static JsonObject Marker(string channelId, string ts, string part, bool anchor) =>
        new() { ["channel"] = channelId, ["ts"] = ts, ["part"] = part, ["anchor"] = anchor };

    /// <summary>The record key of a part: <c>ts/part</c>.</summary>
    public static string Key(string ts, string part) => ts + "/" + part;

    /// <summary>Reads the marker of a timeline event: (key, event id, anchor ts or null); null when it is not the import's.</summary>
    public static (string Key, string EventId, string? AnchorTs)? Read(JsonElement timelineEvent)
    {
        if (!timelineEvent.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Object
            || !content.TryGetProperty(ContentKey, out var marker) || marker.ValueKind != JsonValueKind.Object
            || !timelineEvent.TryGetProperty("event_id", out var id))
        {
            return null;
        }

        var ts = marker.TryGetProperty("ts", out var t) ? t.GetString() : null;
        var part = marker.TryGetProperty("part", out var p) ? p.GetString() : null;
        if (ts is null || part is null)
        {
            return null;
        }

        var anchor = marker.TryGetProperty("anchor", out var a) && a.ValueKind == JsonValueKind.True;
        return (Key(ts, part), id.GetString()!, anchor ? ts : null);
    }
}
