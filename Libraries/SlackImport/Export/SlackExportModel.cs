namespace DendriteAspire.SlackImport.Export;

/// <summary>A Slack export read into typed records, validated: every author and reactor is known.</summary>
/// <param name="Source">The ZIP or folder it was read from, for messages.</param>
/// <param name="Users">Members from <c>users.json</c> (plus <c>org_users.json</c> where present), by Slack id.</param>
/// <param name="Bots">Integrations that posted with a <c>bot_id</c> and no member, by bot id.</param>
/// <param name="Conversations">Channels, private channels, DMs and group DMs, in the order of the export's lists.</param>
public sealed record SlackExport(
    string Source,
    IReadOnlyDictionary<string, SlackUser> Users,
    IReadOnlyDictionary<string, SlackBot> Bots,
    IReadOnlyList<SlackConversation> Conversations)
{
    /// <summary>Every message of every conversation.</summary>
    public int MessageCount => Conversations.Sum(c => c.Messages.Count);
}

/// <summary>A member of the workspace (<c>users.json</c>).</summary>
/// <param name="Id">Slack's member id, <c>U0123ABCD</c> (or <c>W…</c> on Enterprise Grid).</param>
/// <param name="Name">The handle (<c>name</c>): the default Matrix user name.</param>
/// <param name="DisplayName">From the profile: <c>display_name</c>, else <c>real_name</c>, else the handle.</param>
/// <param name="IsBot">A bot user or app (<c>is_bot</c>, <c>is_app_user</c>, or Slackbot): posts as a bot account.</param>
/// <param name="Deleted">Deactivated in Slack; still imported, their words are history.</param>
public sealed record SlackUser(string Id, string Name, string DisplayName, bool IsBot, bool Deleted);

/// <summary>An integration that posted through <c>bot_id</c> without a member account (old incoming webhooks, apps).</summary>
public sealed record SlackBot(string Id, string Name);

public enum ConversationKind { Channel, PrivateChannel, DirectMessage, GroupDirectMessage }

/// <summary>One conversation and all its messages, oldest first.</summary>
/// <param name="Id">Slack's id: <c>C…</c> channel, <c>G…</c> private channel or group DM, <c>D…</c> DM.</param>
/// <param name="Name">The channel name (<c>general</c>); for a DM its id, for a group DM Slack's <c>mpdm-…</c> name.</param>
/// <param name="Folder">The folder of day files inside the export.</param>
/// <param name="Created">When it was created (Unix seconds from <c>created</c>); 0 when the export has none.</param>
/// <param name="Members">Members at export time (<c>members</c>).</param>
public sealed record SlackConversation(
    string Id,
    ConversationKind Kind,
    string Name,
    string Folder,
    long Created,
    string? Topic,
    string? Purpose,
    bool Archived,
    IReadOnlyList<string> Members,
    IReadOnlyList<SlackMessage> Messages)
{
    public bool IsDirect => Kind is ConversationKind.DirectMessage or ConversationKind.GroupDirectMessage;
}

/// <summary>What a message is, beyond its text.</summary>
public enum SlackMessageKind
{
    /// <summary>Plain or formatted text by a member (including <c>thread_broadcast</c>, <c>file_share</c>, <c>file_comment</c>).</summary>
    Text,
    /// <summary><c>/me</c> (<c>me_message</c>).</summary>
    Emote,
    /// <summary>Posted by an integration (<c>bot_message</c>, or any message with a <c>bot_id</c>).</summary>
    Bot,
    /// <summary>A deleted thread parent Slack keeps so its replies stay threaded (<c>tombstone</c>).</summary>
    Tombstone,
    Join,
    Leave,
    TopicChange,
    PurposeChange,
    NameChange,
    /// <summary>A subtype with nothing to import (pins, archive markers, integration notices...): skipped, with the reason.</summary>
    Skipped,
}

/// <summary>One message. <see cref="Ts"/> is Slack's id within the conversation, <c>"1355517523.000005"</c>.</summary>
/// <param name="File">The day file and index it came from, for error messages: <c>general/2016-04-01.json[3]</c>.</param>
/// <param name="Author">A member id, or a bot id for integrations (see <see cref="SlackMessageKind.Bot"/>).</param>
/// <param name="Text">Slack mrkdwn; for attachment-only bot messages the attachments' text or fallback.</param>
/// <param name="ThreadTs">The thread root's ts for a reply; null for a top-level message or a root.</param>
/// <param name="Detail">Topic, purpose or new name for the state kinds; the skip reason for <see cref="SlackMessageKind.Skipped"/>.</param>
public sealed record SlackMessage(
    string File,
    string Ts,
    SlackMessageKind Kind,
    string? Author,
    string Text,
    string? ThreadTs,
    bool Edited,
    string? Detail,
    IReadOnlyList<SlackFile> Files,
    IReadOnlyList<SlackReaction> Reactions)
{
    /// <summary>Slack's ts in milliseconds since the epoch: the event's <c>origin_server_ts</c>.</summary>
    public long TimestampMs => SlackTs.ToMilliseconds(Ts);

    public bool IsThreadReply => ThreadTs is not null && ThreadTs != Ts;
}

/// <summary>A file shared in a message.</summary>
/// <param name="LocalPath">Where the export holds its bytes (entry path inside the ZIP or folder); null when it holds only a URL.</param>
/// <param name="Url">Slack's <c>url_private</c> (carries no token in the JSON; downloading it needs the workspace token).</param>
public sealed record SlackFile(string Id, string Name, string Title, string MimeType, long Size, string? LocalPath, string? Url);

/// <summary>An emoji reaction and who reacted (<c>users</c> can be shorter than <c>count</c> on big messages).</summary>
public sealed record SlackReaction(string Name, IReadOnlyList<string> Users, int Count);
