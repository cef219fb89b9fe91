using DendriteAspire.SlackImport.Export;

namespace DendriteAspire.SlackImport.Tests;

public sealed class ExportReaderTests
{
    [Fact]
    public void Modern_export_reads_every_kind_of_conversation_with_members_topic_and_purpose()
    {
        var export = SlackExportReader.Read(Fixtures.Modern);

        Assert.Equal(["C01GENERAL", "C02TRIPS", "G01SECRET", "D01ALICEBOB", "G02MPDM"], export.Conversations.Select(c => c.Id));
        Assert.Equal([ConversationKind.Channel, ConversationKind.Channel, ConversationKind.PrivateChannel, ConversationKind.DirectMessage, ConversationKind.GroupDirectMessage],
            export.Conversations.Select(c => c.Kind));
        var general = export.Conversations[0];
        Assert.Equal("Everything family", general.Purpose);
        Assert.Null(general.Topic);
        Assert.Equal("Summer 2021", export.Conversations[1].Topic);
        Assert.Equal("D01ALICEBOB", export.Conversations[3].Folder);
        Assert.Equal(["U01ALICE", "U02BOB"], export.Conversations[3].Members);
        Assert.Equal(13, general.Messages.Count);
        Assert.Equal("Caro", export.Users["U03CAROL"].DisplayName);
        Assert.Equal("Bob Jones", export.Users["U02BOB"].DisplayName);
        Assert.True(export.Users["U04GRANDPA"].Deleted);
        Assert.True(export.Users["U05REMIND"].IsBot);
        Assert.True(export.Users[SlackExportReader.SlackbotId].IsBot);
    }

    [Fact]
    public void Modern_messages_keep_threads_reactions_edits_files_and_bots()
    {
        var general = SlackExportReader.Read(Fixtures.Modern).Conversations[0].Messages.ToDictionary(m => m.Ts);

        Assert.Equal(SlackMessageKind.Join, general["1615712400.000100"].Kind);
        var welcome = general["1615712460.000200"];
        Assert.Equal(1615712460000, welcome.TimestampMs);
        var heart = Assert.Single(welcome.Reactions);
        Assert.Equal(("heart", 2), (heart.Name, heart.Count));
        Assert.Equal(["U02BOB", "U03CAROL"], heart.Users);

        var root = general["1615716000.000300"];
        Assert.Null(root.ThreadTs); // A root's thread_ts is its own ts.
        Assert.False(root.IsThreadReply);
        Assert.Equal("1615716000.000300", general["1615716060.000400"].ThreadTs);
        Assert.True(general["1615716120.000500"].Edited);
        Assert.Equal("~vanilla~ chocolate it is", general["1615716120.000500"].Text);

        var weather = general["1615720000.000600"];
        Assert.Equal(SlackMessageKind.Bot, weather.Kind);
        Assert.Equal("B07WEATHER", weather.Author);
        Assert.Equal("Sunny, 18 °C in Berlin", weather.Text);
        Assert.Equal("Weather", SlackExportReader.Read(Fixtures.Modern).Bots["B07WEATHER"].Name);
        Assert.Equal("U05REMIND", general["1615723600.000700"].Author); // A bot member posts as its own member id.

        Assert.Equal((SlackMessageKind.TopicChange, "Family news"), (general["1615727200.000800"].Kind, general["1615727200.000800"].Detail));

        var photo = Assert.Single(general["1615800000.000100"].Files);
        Assert.Equal(("F01PHOTO", "image/png", "general/attachments/F01PHOTO-beach.png"), (photo.Id, photo.MimeType, photo.LocalPath));
        var pdf = Assert.Single(general["1615800050.000200"].Files);
        Assert.Null(pdf.LocalPath);
        Assert.Equal("https://files.slack.com/files-pri/T01FAMILY-F02PDF/download/itinerary.pdf", pdf.Url);

        Assert.Equal(SlackMessageKind.Tombstone, general["1615800100.000300"].Kind);
        Assert.Equal("1615800100.000300", general["1615800200.000400"].ThreadTs);
        Assert.Equal(SlackMessageKind.Skipped, general["1615800300.000500"].Kind);
        Assert.Contains("pinned_item", general["1615800300.000500"].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Legacy_export_reads_file_share_file_comment_attachment_bots_and_old_threads()
    {
        var export = SlackExportReader.Read(Fixtures.Legacy);
        var general = Assert.Single(export.Conversations);
        var byTs = general.Messages.ToDictionary(m => m.Ts);

        Assert.Equal(1459400000, general.Created); // "created" is a string in old exports.
        var share = byTs["1459500300.000004"];
        Assert.Equal("Our new dog!", share.Text);
        var dog = Assert.Single(share.Files);
        Assert.Equal(("F0DOG", "dog.jpg", "image/jpeg", 123456L), (dog.Id, dog.Name, dog.MimeType, dog.Size));
        Assert.Null(dog.LocalPath);

        var comment = byTs["1459500400.000005"];
        Assert.Equal(("U0BBB", "so cute"), (comment.Author, comment.Text));
        Assert.Empty(comment.Files);

        var ifttt = byTs["1459500500.000006"];
        Assert.Equal(SlackMessageKind.Bot, ifttt.Kind);
        Assert.Equal("B0IFTTT", ifttt.Author);
        Assert.Equal("<https://instagram.com/p/x|New photo>\nA sunset", ifttt.Text);

        Assert.Equal(SlackMessageKind.Emote, byTs["1459500600.000007"].Kind);
        Assert.Equal((SlackMessageKind.PurposeChange, "Old times"), (byTs["1459500700.000008"].Kind, byTs["1459500700.000008"].Detail));
        Assert.Equal((SlackMessageKind.NameChange, "general"), (byTs["1459500800.000009"].Kind, byTs["1459500800.000009"].Detail));
        Assert.True(byTs["1459500100.000003"].Edited);
        Assert.Equal("1484900000.000010", byTs["1484900100.000011"].ThreadTs);
        Assert.Equal("chloé", export.Users["U0CCC"].DisplayName);
    }

    [Theory]
    [InlineData("1617357600.734100", 1617357600734)]
    [InlineData("1355517523.000005", 1355517523000)]
    [InlineData("1355517523", 1355517523000)]
    [InlineData("1355517523.9", 1355517523900)]
    public void Slack_ts_is_milliseconds_since_the_epoch(string ts, long ms) => Assert.Equal(ms, SlackTs.ToMilliseconds(ts));

    [Fact]
    public void Slack_ts_orders_by_time_not_by_text() =>
        Assert.True(SlackTs.Compare("999999999.000001", "1000000000.000000") < 0 && SlackTs.Compare("5.000002", "5.000010") < 0);

    [Fact]
    public void Messages_are_in_time_order_across_day_files()
    {
        var general = SlackExportReader.Read(Fixtures.Legacy).Conversations[0];
        Assert.Equal(general.Messages.Select(m => m.TimestampMs).Order(), general.Messages.Select(m => m.TimestampMs));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_zip_reads_like_its_folder(bool underTopFolder)
    {
        var zip = Fixtures.Zip(Fixtures.Modern, underTopFolder);
        try
        {
            var fromZip = SlackExportReader.Read(zip);
            var fromFolder = SlackExportReader.Read(Fixtures.Modern);
            Assert.Equal(fromFolder.MessageCount, fromZip.MessageCount);
            Assert.Equal(fromFolder.Conversations.Select(c => c.Id), fromZip.Conversations.Select(c => c.Id));
            using var source = ExportSource.Open(zip);
            var photo = fromZip.Conversations[0].Messages.SelectMany(m => m.Files).Single(f => f.Id == "F01PHOTO");
            Assert.Equal(File.ReadAllBytes(Path.Combine(Fixtures.Modern, "general", "attachments", "F01PHOTO-beach.png")), source.ReadAllBytes(photo.LocalPath!));
        }
        finally
        {
            File.Delete(zip);
        }
    }

    [Fact]
    public void Mattermost_style_uploads_are_found_by_file_id()
    {
        var copy = Fixtures.Copy(Fixtures.Modern);
        try
        {
            Directory.CreateDirectory(Path.Combine(copy, "__uploads", "F02PDF"));
            File.WriteAllText(Path.Combine(copy, "__uploads", "F02PDF", "itinerary.pdf"), "%PDF-1.4");
            var pdf = SlackExportReader.Read(copy).Conversations[0].Messages.SelectMany(m => m.Files).Single(f => f.Id == "F02PDF");
            Assert.Equal("__uploads/F02PDF/itinerary.pdf", pdf.LocalPath);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }
}
