using DendriteAspire.SlackImport.Text;

namespace DendriteAspire.SlackImport.Tests;

public sealed class MrkdwnConverterTests
{
    private static readonly MrkdwnConverter Converter = new(
        id => id == "U02BOB" ? new MentionTarget("@bob.jones:family.example", "Bob Jones") : null,
        id => id == "C02TRIPS" ? new RoomTarget("!trips:family.example", "trips") : null);

    [Fact]
    public void Mentions_become_pills_to_the_mapped_user()
    {
        var text = Converter.Convert("say hi to <@U02BOB>");
        Assert.Equal("say hi to Bob Jones", text.Body);
        Assert.Equal("say hi to <a href=\"https://matrix.to/#/@bob.jones:family.example\">Bob Jones</a>", text.FormattedBody);
    }

    [Fact]
    public void An_unknown_mention_stays_text()
    {
        var text = Converter.Convert("cc <@U09NOBODY|zed> and <@U08OTHER>");
        Assert.Equal("cc @zed and @U08OTHER", text.Body);
        Assert.Null(text.FormattedBody);
    }

    [Fact]
    public void Channel_links_point_at_the_imported_room()
    {
        var text = Converter.Convert("see <#C02TRIPS|trips> and <#C09GONE|old>");
        Assert.Equal("see #trips and #old", text.Body);
        Assert.Equal("see <a href=\"https://matrix.to/#/%21trips%3Afamily.example\">#trips</a> and #old", text.FormattedBody);
    }

    [Fact]
    public void Links_keep_their_label_and_url()
    {
        var text = Converter.Convert("<https://example.com/gift?a=1&amp;b=2|this lamp> or <https://example.com> or <mailto:a@example.com|a@example.com>");
        Assert.Equal("this lamp (https://example.com/gift?a=1&b=2) or https://example.com or a@example.com", text.Body);
        Assert.Equal("<a href=\"https://example.com/gift?a=1&amp;b=2\">this lamp</a> or <a href=\"https://example.com\">https://example.com</a> or <a href=\"mailto:a@example.com\">a@example.com</a>", text.FormattedBody);
    }

    [Fact]
    public void Bold_italic_strike_and_nesting()
    {
        var text = Converter.Convert("*bold* _italic_ ~gone~ *_both_* snake_case_name 2*3*4");
        Assert.Equal("*bold* _italic_ ~gone~ *_both_* snake_case_name 2*3*4", text.Body);
        Assert.Equal("<strong>bold</strong> <em>italic</em> <del>gone</del> <strong><em>both</em></strong> snake_case_name 2*3*4", text.FormattedBody);
    }

    [Fact]
    public void Code_is_never_formatted()
    {
        var text = Converter.Convert("run `make *all*` then\n```*not bold* &lt;tag&gt; &amp;\n<@U02BOB>```");
        Assert.Equal("run `make *all*` then\n```\n*not bold* <tag> &\n<@U02BOB>\n```", text.Body);
        Assert.Equal("run <code>make *all*</code> then<br><pre><code>*not bold* &lt;tag&gt; &amp;\n&lt;@U02BOB&gt;</code></pre>", text.FormattedBody);
    }

    [Fact]
    public void Slack_entities_are_decoded_and_html_escaped_again()
    {
        var text = Converter.Convert("a &lt; b &amp;&amp; c &gt; d <script>alert(1)</script> \"q\"");
        Assert.Equal("a < b && c > d <script>alert(1)</script> \"q\"", text.Body);
        Assert.DoesNotContain("<script>", text.FormattedBody ?? Escaped(text.Body), StringComparison.Ordinal);
    }

    private static string Escaped(string body) => System.Net.WebUtility.HtmlEncode(body);

    [Fact]
    public void Quotes_become_blockquotes()
    {
        var text = Converter.Convert("Plan:\n&gt; pack light\n&gt; *really*\ndone");
        Assert.Equal("Plan:\n> pack light\n> *really*\ndone", text.Body);
        Assert.Equal("Plan:<blockquote>pack light<br><strong>really</strong></blockquote>done", text.FormattedBody);
    }

    [Fact]
    public void Emoji_shortcodes_become_unicode_where_known()
    {
        var text = Converter.Convert("yay :tada: :wave::skin-tone-3: :our-custom-emoji: at 10:30:00");
        Assert.Equal("yay 🎉 👋🏼 :our-custom-emoji: at 10:30:00", text.Body);
        Assert.Null(text.FormattedBody);
    }

    [Fact]
    public void Here_and_channel_never_ping_the_room()
    {
        var text = Converter.Convert("<!here> dinner! <!channel> <!subteam^S01|@parents>");
        Assert.Equal("@here dinner! @channel @parents", text.Body);
        Assert.DoesNotContain("@room", text.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stray_angle_bracket_is_text()
    {
        var text = Converter.Convert("<not a link> x");
        Assert.Equal("<not a link> x", text.Body);
        Assert.Null(text.FormattedBody); // Plain text: clients escape the body themselves.
    }
}
