using DendriteAspire.Admin.Accounts;
using DendriteAspire.SlackImport.Export;

namespace DendriteAspire.SlackImport.Planning;

/// <summary>One Slack member or integration and the account it posts as.</summary>
/// <param name="SlackId">Member id (<c>U…</c>) or bot id (<c>B…</c>).</param>
/// <param name="Mapped">From the mapping file rather than the default.</param>
/// <param name="Exists">The account exists on the server (known once the server was asked).</param>
public sealed record PersonPlan(string SlackId, string SlackName, string DisplayName, UserName UserName, string UserId, bool IsBot, bool Mapped, bool Exists = false);

/// <summary>One conversation: its room (null when it is new) and how much of it is already imported.</summary>
public sealed record ConversationPlan(SlackConversation Conversation, string? RoomId, int MessagesAlreadyImported)
{
    public int MessagesToImport => Conversation.Messages.Count(m => m.Kind != SlackMessageKind.Skipped) - MessagesAlreadyImported;
}

/// <summary>What an import will do: people and their accounts, conversations and rooms, files with and without bytes.</summary>
public sealed record ImportPlan(
    string ServerName,
    string BotUserId,
    string AdminUserId,
    string SpaceName,
    IReadOnlyDictionary<string, PersonPlan> People,
    IReadOnlyList<ConversationPlan> Conversations)
{
    public IEnumerable<SlackFile> FilesWithBytes => Files.Where(f => f.LocalPath is not null);

    public IEnumerable<SlackFile> FilesWithoutBytes => Files.Where(f => f.LocalPath is null);

    private IEnumerable<SlackFile> Files => Conversations.SelectMany(c => c.Conversation.Messages).SelectMany(m => m.Files);

    /// <summary>The dry run's output: every person, conversation and file count.</summary>
    public void Print(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine($"Import plan for {ServerName}: space \"{SpaceName}\", posted through {BotUserId}, admin {AdminUserId} in every room.");
        output.WriteLine($"People ({People.Count}):");
        foreach (var p in People.Values.OrderBy(p => p.IsBot).ThenBy(p => p.UserId, StringComparer.Ordinal))
        {
            var state = p.Exists ? "existing account" : p.IsBot ? "new bot account" : "new account (no password; hand it over with reset-password)";
            output.WriteLine($"  {p.SlackId,-12} {p.SlackName,-20} -> {p.UserId} ({state}{(p.Mapped ? ", from the mapping file" : "")})");
        }

        output.WriteLine($"Conversations ({Conversations.Count}):");
        foreach (var c in Conversations)
        {
            var conversation = c.Conversation;
            var skipped = conversation.Messages.Count(m => m.Kind == SlackMessageKind.Skipped);
            output.WriteLine($"  {Describe(conversation.Kind),-16} {conversation.Name,-24} {(c.RoomId is null ? "new room" : "room " + c.RoomId)}: "
                + $"{conversation.Messages.Count} messages, {c.MessagesToImport} to import, {c.MessagesAlreadyImported} already imported, {skipped} skipped; {conversation.Members.Count} members");
        }

        output.WriteLine($"Files: {FilesWithBytes.Count()} with bytes (uploaded), {FilesWithoutBytes.Count()} without (a notice names each)");
    }

    internal static string Describe(ConversationKind kind) => kind switch
    {
        ConversationKind.Channel => "channel",
        ConversationKind.PrivateChannel => "private channel",
        ConversationKind.DirectMessage => "DM",
        _ => "group DM",
    };
}
