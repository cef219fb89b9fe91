using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace DendriteAspire.SlackImport.Text;

/// <summary>A Matrix text body: <c>body</c> in plain text and, when it carries formatting, <c>formatted_body</c> HTML.</summary>
public sealed record MatrixText(string Body, string? FormattedBody);

/// <summary>A mention's target on this server: its user id and the name shown in the pill.</summary>
public sealed record MentionTarget(string UserId, string DisplayName);

/// <summary>A linked channel's room: a matrix.to target (room id or alias) and its name.</summary>
public sealed record RoomTarget(string RoomIdOrAlias, string Name);

/// <summary>
/// Slack mrkdwn to Matrix text. Slack escapes <c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c> in message text and uses
/// <c>&lt;…&gt;</c> for everything special: <c>&lt;@U…&gt;</c> mentions, <c>&lt;#C…|name&gt;</c> channels,
/// <c>&lt;!here&gt;</c> and friends, <c>&lt;url|label&gt;</c> links. Formatting is <c>*bold*</c>,
/// <c>_italic_</c>, <c>~strike~</c>, <c>`code`</c>, <c>```blocks```</c> and <c>&gt; quotes</c>; <c>:emoji:</c>
/// shortcodes become Unicode where known. The HTML is built from decoded text, escaped again, so nothing in an
/// export can inject markup.
/// </summary>
public sealed partial class MrkdwnConverter
{
    private readonly Func<string, MentionTarget?> _user;
    private readonly Func<string, RoomTarget?> _room;

    /// <param name="user">A Slack member id to its Matrix account, or null when unknown (shown as plain text).</param>
    /// <param name="room">A Slack channel id to its imported room, or null (shown as <c>#name</c>).</param>
    public MrkdwnConverter(Func<string, MentionTarget?> user, Func<string, RoomTarget?> room)
    {
        _user = user;
        _room = room;
    }

    /// <summary>Converts one message's text.</summary>
    public MatrixText Convert(string mrkdwn)
    {
        ArgumentNullException.ThrowIfNull(mrkdwn);
        var body = new StringBuilder();
        var html = new StringBuilder();
        var segments = CodeBlock().Split(mrkdwn);
        // Split with a capture group: even indexes are text, odd are the insides of ``` blocks.
        for (var i = 0; i < segments.Length; i++)
        {
            if (i % 2 == 1)
            {
                var code = Decode(segments[i].Trim('\n'));
                body.Append("```\n").Append(code).Append("\n```");
                html.Append("<pre><code>").Append(Escape(code)).Append("</code></pre>");
            }
            else
            {
                ConvertText(segments[i], body, html);
            }
        }

        var plain = body.ToString();
        var formatted = html.ToString();
        return new MatrixText(plain, formatted == Escape(plain).Replace("\n", "<br>", StringComparison.Ordinal) ? null : formatted);
    }

    private void ConvertText(string text, StringBuilder body, StringBuilder html)
    {
        var lines = text.Split('\n');
        var inQuote = false;
        for (var l = 0; l < lines.Length; l++)
        {
            var line = lines[l];
            var quoted = line.StartsWith("&gt;", StringComparison.Ordinal) || line.StartsWith('>');
            if (quoted)
            {
                line = line.StartsWith("&gt;", StringComparison.Ordinal) ? line[4..] : line[1..];
                line = line.StartsWith(' ') ? line[1..] : line;
            }

            if (quoted && !inQuote)
            {
                html.Append("<blockquote>");
            }
            else if (!quoted && inQuote)
            {
                html.Append("</blockquote>");
            }
            else if (l > 0)
            {
                html.Append("<br>");
            }

            if (l > 0)
            {
                body.Append('\n');
            }

            inQuote = quoted;
            if (quoted)
            {
                body.Append("> ");
            }

            ConvertLine(line, body, html);
        }

        if (inQuote)
        {
            html.Append("</blockquote>");
        }
    }

    private void ConvertLine(string line, StringBuilder body, StringBuilder html)
    {
        // Inline code first: nothing inside it is formatting, a mention or an emoji.
        var parts = InlineCode().Split(line);
        for (var i = 0; i < parts.Length; i++)
        {
            if (i % 2 == 1)
            {
                var code = Decode(parts[i]);
                body.Append('`').Append(code).Append('`');
                html.Append("<code>").Append(Escape(code)).Append("</code>");
                continue;
            }

            // Angle-bracket tokens become placeholders, so formatting can wrap them but never reach inside.
            var tokens = new List<(string Body, string Html)>();
            var withPlaceholders = Token().Replace(parts[i], match =>
            {
                tokens.Add(ConvertToken(match.Groups[1].Value));
                return Placeholder(tokens.Count - 1);
            });
            var plain = Emoji.Replace(Decode(withPlaceholders));
            var formatted = Strike().Replace(Italic().Replace(Bold().Replace(Escape(plain), "<strong>$1</strong>"), "<em>$1</em>"), "<del>$1</del>");
            body.Append(FillPlaceholders(plain, tokens, t => t.Body));
            html.Append(FillPlaceholders(formatted, tokens, t => t.Html));
        }
    }

    private (string Body, string Html) ConvertToken(string token)
    {
        var bar = token.IndexOf('|', StringComparison.Ordinal);
        var target = bar >= 0 ? token[..bar] : token;
        var label = bar >= 0 ? Decode(token[(bar + 1)..]) : null;
        switch (target[0])
        {
            case '@':
                var userId = target[1..];
                if (_user(userId) is { } user)
                {
                    return (user.DisplayName, $"<a href=\"https://matrix.to/#/{Escape(user.UserId)}\">{Escape(user.DisplayName)}</a>");
                }

                var who = "@" + (label ?? userId).TrimStart('@');
                return (who, Escape(who));
            case '#':
                var channelId = target[1..];
                if (_room(channelId) is { } room)
                {
                    var name = "#" + room.Name;
                    return (name, $"<a href=\"https://matrix.to/#/{Escape(Uri.EscapeDataString(room.RoomIdOrAlias))}\">{Escape(name)}</a>");
                }

                var channel = "#" + (label ?? channelId);
                return (channel, Escape(channel));
            case '!':
                // <!here>, <!channel>, <!everyone>: kept as words, never as @room (an import must not ping everyone).
                var special = target[1..];
                var text = label ?? (special is "here" or "channel" or "everyone" ? "@" + special : special.Split('^')[0]);
                return (text, Escape(text));
            default:
                var url = Decode(target);
                if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https" or "mailto" or "ftp" or "tel"))
                {
                    var literal = "<" + Decode(token) + ">";
                    return (literal, Escape(literal));
                }

                var shown = label ?? (uri.Scheme == "mailto" ? url["mailto:".Length..] : url);
                var plainLink = label is null || SameAsUrl(label, url) ? shown : $"{label} ({url})";
                return (plainLink, $"<a href=\"{Escape(url)}\">{Escape(shown)}</a>");
        }
    }

    private static bool SameAsUrl(string label, string url) =>
        label == url || url.EndsWith("://" + label, StringComparison.Ordinal) || url == "mailto:" + label;

    private static string Placeholder(int index) => "\uE000" + (char)(0xE100 + index) + "\uE001";

    private static string FillPlaceholders(string text, List<(string Body, string Html)> tokens, Func<(string Body, string Html), string> pick) =>
        tokens.Count == 0 ? text : PlaceholderPattern().Replace(text, m => pick(tokens[m.Groups[1].Value[0] - 0xE100]));

    /// <summary>Slack's three entities back to characters (Slack escapes nothing else).</summary>
    private static string Decode(string text) =>
        text.Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal).Replace("&amp;", "&", StringComparison.Ordinal);

    private static string Escape(string text) => WebUtility.HtmlEncode(text).Replace("&#39;", "'", StringComparison.Ordinal);

    [GeneratedRegex(@"```([\s\S]*?)```")]
    private static partial Regex CodeBlock();

    [GeneratedRegex(@"`([^`\n]+)`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"<([^<>\n]+)>")]
    private static partial Regex Token();

    [GeneratedRegex("\uE000(.)\uE001")]
    private static partial Regex PlaceholderPattern();

    [GeneratedRegex(@"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")]
    private static partial Regex Bold();

    [GeneratedRegex(@"(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])")]
    private static partial Regex Italic();

    [GeneratedRegex(@"(?<![\w~])~(?=\S)([^~\n]+?)(?<=\S)~(?![\w~])")]
    private static partial Regex Strike();
}
