using System.Globalization;
using System.Text;
using DendriteAspire.Admin.Accounts;
using DendriteAspire.SlackImport.Export;

namespace DendriteAspire.SlackImport.Planning;

/// <summary>
/// Who a Slack member becomes on this server. Default: the Slack handle (<c>name</c>), lower-cased, accents
/// dropped and anything else a Matrix user name cannot hold replaced, checked by <see cref="UserName"/>. Bots
/// and integrations become <c>slack-bot-&lt;name&gt;</c>. A mapping file (<c>--map</c>) overrides either:
/// one <c>U0123ABCD=alice</c> per line, <c>#</c> comments.
/// </summary>
public static class UserMapping
{
    /// <summary>The prefix of the one account per Slack bot.</summary>
    public const string BotPrefix = "slack-bot-";

    /// <summary>Reads a mapping file; any bad line is a <see cref="SlackExportException"/> naming file and line.</summary>
    public static IReadOnlyDictionary<string, UserName> ReadFile(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SlackExportException($"--map {path}: cannot be read ({e.Message})", e);
        }

        return Parse(lines, path);
    }

    /// <summary>Parses mapping lines; <paramref name="file"/> names them in errors.</summary>
    public static IReadOnlyDictionary<string, UserName> Parse(IEnumerable<string> lines, string file)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var map = new Dictionary<string, UserName>(StringComparer.Ordinal);
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new SlackExportException($"{file}:{number}: \"{line}\" is not a mapping; write one Slack member id and a Matrix user name per line, for example U0123ABCD=alice");
            }

            var id = line[..equals].Trim();
            var name = line[(equals + 1)..].Trim();
            if (!UserName.TryParse(name, out var userName, out var problem))
            {
                throw new SlackExportException($"{file}:{number}: {id} maps to an invalid user name: {problem!.Message}");
            }

            if (!map.TryAdd(id, userName))
            {
                throw new SlackExportException($"{file}:{number}: {id} is mapped twice; keep one line for it");
            }
        }

        return map;
    }

    /// <summary>The default user name for a Slack member: its handle made valid, or <c>slack-&lt;id&gt;</c>.</summary>
    public static UserName DefaultFor(SlackUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var name = Sanitize(user.Name);
        if (user.IsBot)
        {
            return UserName.Parse(BotPrefix + (name.Length > 0 ? name : user.Id.ToLowerInvariant()));
        }

        return UserName.TryParse(name, out var valid, out _) ? valid : UserName.Parse("slack-" + user.Id.ToLowerInvariant());
    }

    /// <summary>The account of an integration without a member.</summary>
    public static UserName DefaultFor(SlackBot bot)
    {
        ArgumentNullException.ThrowIfNull(bot);
        var name = Sanitize(bot.Name);
        return UserName.Parse(BotPrefix + (name.Length > 0 ? name : Sanitize(bot.Id)));
    }

    /// <summary>Lower case, accents dropped, characters outside <c>a-z 0-9 . _ = - /</c> replaced by '-', no leading '_'.</summary>
    public static string Sanitize(string handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var builder = new StringBuilder();
        foreach (var c in handle.Normalize(NormalizationForm.FormD).ToLowerInvariant())
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            builder.Append(c is >= 'a' and <= 'z' or >= '0' and <= '9' || UserName.AllowedPunctuation.Contains(c, StringComparison.Ordinal) ? c : '-');
        }

        var result = builder.ToString().TrimStart('_', '-').TrimEnd('-');
        return result.Length > 200 ? result[..200] : result;
    }
}
