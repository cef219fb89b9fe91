using DendriteAspire.Admin.Accounts;
using DendriteAspire.SlackImport.Export;
using DendriteAspire.SlackImport.Planning;

namespace DendriteAspire.SlackImport.Tests;

public sealed class PlannerTests
{
    private static readonly UserName Bot = UserName.Parse("slack-import");
    private static readonly UserName Admin = UserName.Parse("admin");

    private static ImportPlan Plan(string fixture, params string[] map) =>
        ImportPlanner.Plan(SlackExportReader.Read(fixture), UserMapping.Parse(map, "map.txt"), "family.example", Bot, Admin, "Slack");

    [Fact]
    public void Members_map_to_their_handle_made_valid_and_bots_to_bot_accounts()
    {
        var plan = Plan(Fixtures.Modern);
        Assert.Equal("@alice:family.example", plan.People["U01ALICE"].UserId);
        Assert.Equal("@bob.jones:family.example", plan.People["U02BOB"].UserId);
        Assert.Equal("@slack-bot-reminderbot:family.example", plan.People["U05REMIND"].UserId);
        Assert.Equal("@slack-bot-weather:family.example", plan.People["B07WEATHER"].UserId);
        Assert.False(plan.People.ContainsKey(SlackExportReader.SlackbotId)); // Slackbot never posts here: no account for it.
        Assert.True(plan.People["B07WEATHER"].IsBot);
        Assert.Equal("Weather (Slack bot)", plan.People["B07WEATHER"].DisplayName);

        var legacy = Plan(Fixtures.Legacy);
        Assert.Equal("@ben:family.example", legacy.People["U0BBB"].UserId); // "_ben": no leading underscore on Matrix.
        Assert.Equal("@chloe:family.example", legacy.People["U0CCC"].UserId); // accents dropped.
        Assert.Equal("@slack-bot-ifttt:family.example", legacy.People["B0IFTTT"].UserId);
    }

    [Theory]
    [InlineData("Anna Lena", "anna-lena")]
    [InlineData("José.García", "jose.garcia")]
    [InlineData("__x__", "x__")]
    [InlineData("田中", "")]
    public void Handles_are_sanitised(string handle, string expected) => Assert.Equal(expected, UserMapping.Sanitize(handle));

    [Fact]
    public void A_handle_with_nothing_valid_falls_back_to_the_slack_id() =>
        Assert.Equal("slack-u0tanaka", UserMapping.DefaultFor(new SlackUser("U0TANAKA", "田中", "Tanaka", false, false)).Value);

    [Fact]
    public void The_mapping_file_overrides_the_default()
    {
        var plan = Plan(Fixtures.Modern, "# family", "", "U03CAROL = caroline", "U02BOB=bob");
        Assert.Equal("@caroline:family.example", plan.People["U03CAROL"].UserId);
        Assert.True(plan.People["U03CAROL"].Mapped);
        Assert.Equal("@bob:family.example", plan.People["U02BOB"].UserId);
    }

    [Theory]
    [InlineData("U03CAROL=Caroline", "map.txt:1: U03CAROL maps to an invalid user name", "upper-case")]
    [InlineData("U03CAROL=@carol:family.example", "map.txt:1: U03CAROL maps to an invalid user name", "full user id")]
    [InlineData("U03CAROL carol", "map.txt:1: \"U03CAROL carol\" is not a mapping", "U0123ABCD=alice")]
    public void A_bad_mapping_line_is_refused_naming_file_and_line(string line, string expected, string fix)
    {
        var e = Assert.Throws<SlackExportException>(() => UserMapping.Parse([line], "map.txt"));
        Assert.StartsWith(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains(fix, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_slack_id_mapped_twice_is_refused() =>
        Assert.Contains("mapped twice", Assert.Throws<SlackExportException>(() => UserMapping.Parse(["U1=a", "U1=b"], "map.txt")).Message, StringComparison.Ordinal);

    [Fact]
    public void Two_people_on_one_account_are_refused()
    {
        var e = Assert.Throws<SlackExportException>(() => Plan(Fixtures.Modern, "U03CAROL=alice"));
        Assert.Contains("U01ALICE and U03CAROL would both post as @alice:family.example", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_message_by_an_unknown_user_is_refused_naming_file_and_entry_until_mapped()
    {
        var copy = Fixtures.Copy(Fixtures.Modern);
        try
        {
            File.WriteAllText(Path.Combine(copy, "trips", "2021-03-17.json"),
                "[{\"type\":\"message\",\"user\":\"U09GUEST\",\"text\":\"hi from another workspace\",\"ts\":\"1615990000.000100\"}]");
            var e = Assert.Throws<SlackExportException>(() => Plan(copy));
            Assert.Contains("trips/2021-03-17.json[0] (ts 1615990000.000100) is by U09GUEST, who is not in users.json", e.Message, StringComparison.Ordinal);
            Assert.Contains("U09GUEST=<user name>", e.Message, StringComparison.Ordinal);

            var plan = Plan(copy, "U09GUEST=guest");
            Assert.Equal("@guest:family.example", plan.People["U09GUEST"].UserId);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public void A_reaction_by_an_unknown_user_is_refused()
    {
        var copy = Fixtures.Copy(Fixtures.Modern);
        try
        {
            File.WriteAllText(Path.Combine(copy, "trips", "2021-03-17.json"),
                "[{\"type\":\"message\",\"user\":\"U01ALICE\",\"text\":\"x\",\"ts\":\"1615990000.000100\",\"reactions\":[{\"name\":\"+1\",\"users\":[\"U09GUEST\"],\"count\":1}]}]");
            var e = Assert.Throws<SlackExportException>(() => Plan(copy));
            Assert.Contains("trips/2021-03-17.json[0] (ts 1615990000.000100) has a reaction by U09GUEST", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public void A_member_named_like_the_import_bot_is_refused() =>
        Assert.Contains("the import's own account", Assert.Throws<SlackExportException>(() => Plan(Fixtures.Modern, "U02BOB=slack-import")).Message, StringComparison.Ordinal);

    [Fact]
    public void The_plan_counts_messages_and_files()
    {
        var plan = Plan(Fixtures.Modern);
        Assert.Single(plan.FilesWithBytes);
        Assert.Single(plan.FilesWithoutBytes);
        Assert.Equal(12, plan.Conversations[0].MessagesToImport); // 13 minus the pinned_item notice.
        using var output = new StringWriter();
        plan.Print(output);
        Assert.Contains("U02BOB       bob.jones            -> @bob.jones:family.example (new account", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("Files: 1 with bytes (uploaded), 1 without", output.ToString(), StringComparison.Ordinal);
    }
}
