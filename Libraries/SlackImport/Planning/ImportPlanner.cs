using DendriteAspire.Admin.Accounts;
using DendriteAspire.SlackImport.Export;

namespace DendriteAspire.SlackImport.Planning;

/// <summary>
/// Decides who maps to whom and checks the export against it, before anything touches the server: every author
/// and reactor must be a member, an integration or in the mapping file; no two people may share an account; every
/// user id must be valid on this server.
/// </summary>
public static class ImportPlanner
{
    /// <summary>Maps people and checks the export; the server's state (existing accounts, rooms) is added later.</summary>
    /// <exception cref="SlackExportException">An unknown author, a clash, an invalid name: naming file, entry and fix.</exception>
    public static ImportPlan Plan(SlackExport export, IReadOnlyDictionary<string, UserName> map, string serverName, UserName bot, UserName admin, string spaceName)
    {
        ArgumentNullException.ThrowIfNull(export);
        ArgumentNullException.ThrowIfNull(map);
        var people = new Dictionary<string, PersonPlan>(StringComparer.Ordinal);
        foreach (var user in export.Users.Values)
        {
            var mapped = map.TryGetValue(user.Id, out var name);
            Add(people, user.Id, user.Name, user.IsBot ? user.DisplayName + " (Slack bot)" : user.DisplayName, mapped ? name : UserMapping.DefaultFor(user), user.IsBot, mapped, serverName);
        }

        foreach (var b in export.Bots.Values)
        {
            var mapped = map.TryGetValue(b.Id, out var name);
            Add(people, b.Id, b.Name, b.Name + " (Slack bot)", mapped ? name : UserMapping.DefaultFor(b), isBot: true, mapped, serverName);
        }

        // Members the export does not list (Slack Connect guests, deleted users) are importable once mapped.
        foreach (var (id, name) in map.Where(m => !people.ContainsKey(m.Key)))
        {
            Add(people, id, id, name.Value, name, isBot: false, mapped: true, serverName);
        }

        var accounts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in people.Values.Where(p => p.UserName != bot))
        {
            if (!accounts.TryAdd(p.UserId, p.SlackId))
            {
                throw new SlackExportException($"{export.Source}: Slack members {accounts[p.UserId]} and {p.SlackId} would both post as {p.UserId}; map one of them to another name in the mapping file (--map, a line such as {p.SlackId}=other-name)");
            }
        }

        if (people.Values.FirstOrDefault(p => p.UserName == bot) is { } clash)
        {
            throw new SlackExportException($"{export.Source}: Slack member {clash.SlackId} ({clash.SlackName}) maps to {clash.UserId}, the import's own account; map it to another name (--map {clash.SlackId}=other-name)");
        }

        if (people.Values.FirstOrDefault(p => p.IsBot && p.UserName == admin) is { } botAsAdmin)
        {
            throw new SlackExportException($"{export.Source}: Slack bot {botAsAdmin.SlackId} maps to the admin {botAsAdmin.UserId}; bots never post as a person, remove that line from the mapping file");
        }

        foreach (var conversation in export.Conversations)
        {
            foreach (var message in conversation.Messages)
            {
                if (message.Author is { } author && !people.ContainsKey(author) && message.Kind != SlackMessageKind.Skipped)
                {
                    throw new SlackExportException($"{export.Source}: {message.File} (ts {message.Ts}) is by {author}, who is not in users.json; add a line {author}=<user name> to the mapping file (--map) to say who wrote it");
                }

                if (message.Author is null && message.Kind is not (SlackMessageKind.Tombstone or SlackMessageKind.Skipped))
                {
                    throw new SlackExportException($"{export.Source}: {message.File} (ts {message.Ts}) has no \"user\" and no \"bot_id\", so nobody can be its author; the export is damaged");
                }

                foreach (var reactor in message.Reactions.SelectMany(r => r.Users).Where(u => !people.ContainsKey(u)))
                {
                    throw new SlackExportException($"{export.Source}: {message.File} (ts {message.Ts}) has a reaction by {reactor}, who is not in users.json; add a line {reactor}=<user name> to the mapping file (--map)");
                }
            }
        }

        // Only the people the import needs get accounts: members, authors and reactors (not every Slack bot listed).
        var used = export.Conversations.SelectMany(c => c.Members
                .Concat(c.Messages.Where(m => m.Kind != SlackMessageKind.Skipped).Select(m => m.Author).OfType<string>())
                .Concat(c.Messages.SelectMany(m => m.Reactions).SelectMany(r => r.Users)))
            .ToHashSet(StringComparer.Ordinal);
        var needed = people.Where(p => used.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        return new ImportPlan(serverName, bot.ToUserId(serverName), admin.ToUserId(serverName), spaceName, needed,
            [.. export.Conversations.Select(c => new ConversationPlan(c, null, 0))]);
    }

    private static void Add(Dictionary<string, PersonPlan> people, string id, string slackName, string displayName, UserName name, bool isBot, bool mapped, string serverName)
    {
        string userId;
        try
        {
            userId = name.ToUserId(serverName);
        }
        catch (InvalidUserNameException e)
        {
            throw new SlackExportException($"Slack member {id} ({slackName}): {e.Message}; map it to a shorter name with --map ({id}=short-name)", e);
        }

        people[id] = new PersonPlan(id, slackName, displayName, name, userId, isBot, mapped);
    }
}
