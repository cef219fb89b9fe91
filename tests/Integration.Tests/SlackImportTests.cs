using System.Net;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Playwright;
using Browser = DendriteAspire.Onboarding.Tests.Browser;
using DendriteAspire.Admin.Cli;

namespace DendriteAspire.Integration.Tests;

/// <summary>
/// Issue 19 on the real Dendrite: the fixture export (two channels, a private channel, a DM, a group DM, a thread, a
/// reaction, a file with bytes and one without, bot messages, an edited message, a deleted thread root) imported with
/// <c>import-slack</c> into a server that already has the bootstrap admin and the family member alice (mapped from
/// the export by her Slack handle). Everything is asserted through the client API as the admin or alice; a second run
/// changes nothing; after <c>Import:Enabled</c> is turned off (a restart) the token is refused.
/// </summary>
[Trait("Category", "Live")]
public class SlackImportTests
{
    private const string Server = "localhost";
    private static readonly TimeSpan BootstrapTimeout = TimeSpan.FromMinutes(1);

    private static string Export => Path.Combine(AppContext.BaseDirectory, "SlackFixtures", "modern");

    [Fact]
    public async Task Import_lands_people_rooms_messages_threads_reactions_and_files_and_a_second_run_changes_nothing()
    {
        var runtime = await LiveEnvironment.RequireAsync(withPostgres: false);
        var ct = TestContext.Current.CancellationToken;
        var prefix = VolumePrefix.New("slack-import");
        var token = $"import-{Guid.NewGuid():N}{Guid.NewGuid():N}";
        var adminPassword = $"admin-{Guid.NewGuid():N}";
        var alicePassword = $"alice-{Guid.NewGuid():N}";
        var mapFile = Path.Combine(Path.GetTempPath(), $"slack-map-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(mapFile, "# Carol uses her full name here\nU03CAROL=caroline\n", ct);
        string[] passwords = [$"--Parameters:{FamilyAccountsLive.AdminPasswordParameter}={adminPassword}"];
        try
        {
            await using (var app = await DendriteApp.StartAsync(runtime, prefix, [.. passwords, "--Dendrite:Import:Enabled=true", $"--Parameters:{Hosting.DendriteImport.TokenParameterName}={token}"], ct))
            {
                await FamilyAccountsLive.WaitForLogLineAsync(app, "dendrite", l => l.Contains("Bootstrap admin", StringComparison.Ordinal), BootstrapTimeout, ct);
                var secret = await app.GetParameterValueAsync(DendriteApp.RegistrationSecretParameter, ct);
                (await SharedSecretRegistration.RegisterAsync(app.Matrix, secret, "alice", alicePassword, admin: false, ct)).EnsureSuccess("register alice");
                var alice = await app.Matrix.LoginOrThrowAsync("alice", alicePassword, ct);
                var admin = await app.Matrix.LoginOrThrowAsync(FamilyAccountsLive.AdminUserName, adminPassword, ct);
                // A room of the family's own, from before the import: it must stay untouched.
                var ownRoom = await app.Matrix.CreatePrivateRoomAsync(alice, "alice's own room", ct);
                var written = await app.Matrix.SendTextAsync(alice, ownRoom, "written on the new server", ct);
                // Dendrite answers a send before its sync API (which serves /messages) has the event: wait for it, or
                // the snapshot below would miss the room's own last events and look changed later.
                await WaitForTimelineEventAsync(app.Matrix, alice, ownRoom, written, ct);
                var ownBefore = (await TimelineAsync(app.Matrix, alice, ownRoom, ct)).Select(e => e.GetProperty("event_id").GetString()).ToList();

                string[] args = [Export, "--homeserver", app.Matrix.Http.BaseAddress!.ToString(), "--server-name", Server, "--map", mapFile];
                var variables = new Dictionary<string, string>
                {
                    [ImportSlackCommand.ImportTokenVariable] = token,
                    [AdminOptions.SharedSecretVariable] = secret,
                };

                var dry = await RunCliAsync(["--dry-run", .. args], variables, ct);
                Assert.True(dry.ExitCode == 0, dry.Stderr);
                Assert.Contains("U01ALICE     alice                -> @alice:localhost (existing account)", dry.Stdout, StringComparison.Ordinal);
                Assert.Contains("U03CAROL     carol                -> @caroline:localhost (new account", dry.Stdout, StringComparison.Ordinal);
                Assert.Contains("Dry run: nothing was written.", dry.Stdout, StringComparison.Ordinal);
                Assert.Empty(await JoinedRoomsAsync(app.Matrix, admin, ct));

                var first = await RunCliAsync(args, variables, ct);
                Assert.True(first.ExitCode == 0, $"import failed ({first.ExitCode}):\n{first.Stderr}\n{first.Stdout}");
                Assert.Contains("files the export holds only as links (1", first.Stdout, StringComparison.OrdinalIgnoreCase);
                Assert.Contains("itinerary.pdf", first.Stdout, StringComparison.Ordinal);

                var rooms = await ImportedRoomsAsync(app.Matrix, admin, ct);
                await AssertRoomsAndSpaceAsync(app.Matrix, admin, rooms, ct);
                await AssertGeneralAsync(app.Matrix, admin, rooms["C01GENERAL"], ct);
                await AssertOtherConversationsAsync(app.Matrix, admin, alice, rooms, ct);
                Assert.Equal(ownBefore, (await TimelineAsync(app.Matrix, alice, ownRoom, ct)).Select(e => e.GetProperty("event_id").GetString()).ToList());
                Assert.Equal("@alice:localhost", await app.Matrix.WhoAmIAsync(await app.Matrix.LoginOrThrowAsync("alice", alicePassword, ct), ct));
                var live = await AssertHistoryDidNotNotifyAsync(app.Matrix, admin, alice, rooms, ct);

                // The second run: nothing new, anywhere. The live message reached alice's notifications (the user
                // API), but /messages is served by the sync API, which may not have it yet: wait for it there first,
                // or it would look like an event the second run wrote.
                await WaitForTimelineEventAsync(app.Matrix, admin, rooms["C01GENERAL"], live, ct);
                var before = new Dictionary<string, IReadOnlyList<string>>();
                foreach (var roomId in await JoinedRoomsAsync(app.Matrix, admin, ct))
                {
                    before[roomId] = (await TimelineAsync(app.Matrix, admin, roomId, ct)).Select(e => e.GetProperty("event_id").GetString()!).ToList();
                }

                var second = await RunCliAsync(args, variables, ct);
                Assert.True(second.ExitCode == 0, second.Stderr);
                Assert.Contains(": 0 messages,", second.Stdout, StringComparison.Ordinal);
                Assert.Contains("skipped; 0 events written", second.Stdout, StringComparison.Ordinal);
                Assert.Equal(before.Keys.Order(), (await JoinedRoomsAsync(app.Matrix, admin, ct)).Order());
                foreach (var (roomId, events) in before)
                {
                    var after = await TimelineAsync(app.Matrix, admin, roomId, ct);
                    var added = after.Where(e => !events.Contains(e.GetProperty("event_id").GetString()!)).Select(e => e.GetRawText()).ToList();
                    Assert.True(added.Count == 0, $"the second run changed {roomId}: {added.Count} events not there before it:\n{string.Join("\n", added)}\nsecond run's output:\n{second.Stdout}");
                    Assert.Equal(events, after.Select(e => e.GetProperty("event_id").GetString()!).ToList());
                }

                // The as_token was also the import bot's device token; the import logged that device out.
                Assert.Equal(HttpStatusCode.Unauthorized, (await app.Matrix.GetAsync("/_matrix/client/v3/account/whoami", token, ct)).Status);
            }

            // Import:Enabled off (the default): no registration, and the token is refused with or without user_id.
            await using (var app = await DendriteApp.StartAsync(runtime, prefix, passwords, ct))
            {
                var masquerade = await app.Matrix.GetAsync($"/_matrix/client/v3/account/whoami?user_id={Uri.EscapeDataString("@alice:" + Server)}", token, ct);
                Assert.Equal(HttpStatusCode.Unauthorized, masquerade.Status);
                Assert.Equal("M_UNKNOWN_TOKEN", masquerade.ErrorCode);
                Assert.Equal(HttpStatusCode.Unauthorized, (await app.Matrix.GetAsync("/_matrix/client/v3/account/whoami", token, ct)).Status);
                var refused = await RunCliAsync([Export, "--homeserver", app.Matrix.Http.BaseAddress!.ToString(), "--server-name", Server],
                    new Dictionary<string, string> { [ImportSlackCommand.ImportTokenVariable] = token }, ct);
                Assert.Equal(ExitCodes.Refused, refused.ExitCode);
                Assert.Contains("errcode: M_UNKNOWN_TOKEN", refused.Stderr, StringComparison.Ordinal);
            }
        }
        finally
        {
            File.Delete(mapFile);
            await VolumePrefix.RemoveVolumesAsync(runtime, prefix, withPostgres: false);
        }
    }

    /// <summary>
    /// The dashboard's "Import from Slack" on a server started without Import:Enabled: it turns the registration on
    /// (restart), imports, turns it off (restart) and shows the report; afterwards the token is refused again.
    /// </summary>
    [Fact]
    public async Task Dashboard_command_imports_between_two_restarts_and_leaves_the_token_refused()
    {
        var runtime = await LiveEnvironment.RequireAsync(withPostgres: false);
        var ct = TestContext.Current.CancellationToken;
        var prefix = VolumePrefix.New("slack-import-cmd");
        var token = $"import-{Guid.NewGuid():N}{Guid.NewGuid():N}";
        var adminPassword = $"admin-{Guid.NewGuid():N}";
        try
        {
            await using var app = await DendriteApp.StartAsync(runtime, prefix,
                [$"--Parameters:{FamilyAccountsLive.AdminPasswordParameter}={adminPassword}", $"--Parameters:{Hosting.DendriteImport.TokenParameterName}={token}"], ct);
            await FamilyAccountsLive.WaitForLogLineAsync(app, "dendrite", l => l.Contains("Bootstrap admin", StringComparison.Ordinal), BootstrapTimeout, ct);
            var whoami = $"/_matrix/client/v3/account/whoami?user_id={Uri.EscapeDataString("@slack-import:" + Server)}";
            Assert.Equal(HttpStatusCode.Unauthorized, (await app.Matrix.GetAsync(whoami, token, ct)).Status);

            var result = await FamilyAccountsLive.RunCommandAsync(app, Hosting.SlackImportCommand.Name,
                new Dictionary<string, string> { [Hosting.SlackImportCommand.ExportPathInput] = Export }, ct);
            Assert.True(result.Success, result.Message);
            Assert.Contains("Imported 19 messages", result.Message, StringComparison.Ordinal);

            var admin = await app.Matrix.LoginOrThrowAsync(FamilyAccountsLive.AdminUserName, adminPassword, ct);
            var rooms = await ImportedRoomsAsync(app.Matrix, admin, ct);
            Assert.Equal(["C01GENERAL", "C02TRIPS", "D01ALICEBOB", "G01SECRET", "G02MPDM"], rooms.Keys.Order());
            Assert.Equal(HttpStatusCode.Unauthorized, (await app.Matrix.GetAsync(whoami, token, ct)).Status);

            await AssertElementShowsGeneralAsync(app, adminPassword, rooms["C01GENERAL"], ct);
        }
        finally
        {
            await VolumePrefix.RemoveVolumesAsync(runtime, prefix, withPostgres: false);
        }
    }

    /// <summary>The browser check: Element Web opens the imported channel and shows its messages in order, under their 2021 dates.</summary>
    private static async Task AssertElementShowsGeneralAsync(DendriteApp app, string adminPassword, string roomId, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromMinutes(3));
        await app.App.ResourceNotifications.WaitForResourceHealthyAsync("element", deadline.Token);
        var element = new Uri(app.Model.Resources.OfType<IResourceWithEndpoints>().Single(r => r.Name == "element").GetEndpoint("http").Url);
        var (playwright, browser) = await Browser.LaunchAsync();
        using var playwrightScope = playwright;
        await using var browserScope = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1600 } });
        page.SetDefaultTimeout(90_000);
        await page.GotoAsync(new Uri(element, "/#/login").ToString());
        await page.GetByLabel("Username").FillAsync(FamilyAccountsLive.AdminUserName);
        await page.GetByLabel("Password").FillAsync(adminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add room" }).WaitForAsync();
        await page.GotoAsync(new Uri(element, "/#/room/" + roomId).ToString());

        string[] inOrder = ["say hi to", "Who's bringing the cake?", "Sunny, 18 °C in Berlin", "Reminder: call grandma", "Beach day!", "(message deleted in Slack)"];
        foreach (var text in inOrder)
        {
            await page.GetByText(text).First.WaitForAsync();
        }

        await Browser.ScreenshotAsync(page, "live-element-slack-import");
        var tops = new List<float>();
        foreach (var text in inOrder)
        {
            tops.Add((await page.GetByText(text).First.BoundingBoxAsync())?.Y ?? float.NaN);
        }

        Assert.Equal(tops.Order(), tops);
        // Element puts a date separator above each day: the original 2021 dates, not the day of the import.
        var separators = await page.Locator("[role=separator]").EvaluateAllAsync<string[]>("els => els.map(e => e.getAttribute('aria-label') || e.textContent || '')");
        Assert.Contains(separators, s => s.Contains("2021", StringComparison.Ordinal));
        Assert.DoesNotContain(separators, s => s.Contains(DateTime.UtcNow.Year.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
    }

    private static async Task AssertRoomsAndSpaceAsync(MatrixClient matrix, MatrixSession admin, Dictionary<string, string> rooms, CancellationToken ct)
    {
        Assert.Equal(["C01GENERAL", "C02TRIPS", "D01ALICEBOB", "G01SECRET", "G02MPDM"], rooms.Keys.Order());
        var spaceId = (await JoinedRoomsAsync(matrix, admin, ct)).Single(r => !rooms.ContainsValue(r));
        Assert.Equal("m.space", (await StateAsync(matrix, admin, spaceId, "m.room.create", "", ct)).GetProperty("type").GetString());
        Assert.Equal("Slack", (await StateAsync(matrix, admin, spaceId, "m.room.name", "", ct)).GetProperty("name").GetString());
        foreach (var roomId in rooms.Values)
        {
            Assert.Equal(JsonValueKind.Array, (await StateAsync(matrix, admin, spaceId, "m.space.child", roomId, ct)).GetProperty("via").ValueKind);
            Assert.Equal(JsonValueKind.Array, (await StateAsync(matrix, admin, roomId, "m.space.parent", spaceId, ct)).GetProperty("via").ValueKind);
        }

        Assert.Equal("general", (await StateAsync(matrix, admin, rooms["C01GENERAL"], "m.room.name", "", ct)).GetProperty("name").GetString());
        Assert.Equal("Family news", (await StateAsync(matrix, admin, rooms["C01GENERAL"], "m.room.topic", "", ct)).GetProperty("topic").GetString());
        Assert.Equal("Summer 2021", (await StateAsync(matrix, admin, rooms["C02TRIPS"], "m.room.topic", "", ct)).GetProperty("topic").GetString());
        Assert.Equal("family-secrets", (await StateAsync(matrix, admin, rooms["G01SECRET"], "m.room.name", "", ct)).GetProperty("name").GetString());
        Assert.Equal("public", (await StateAsync(matrix, admin, rooms["C01GENERAL"], "m.room.join_rules", "", ct)).GetProperty("join_rule").GetString());
        Assert.Equal("invite", (await StateAsync(matrix, admin, rooms["G01SECRET"], "m.room.join_rules", "", ct)).GetProperty("join_rule").GetString());
        Assert.Equal("invite", (await StateAsync(matrix, admin, rooms["D01ALICEBOB"], "m.room.join_rules", "", ct)).GetProperty("join_rule").GetString());

        Assert.Equal(
            ["@admin:localhost", "@alice:localhost", "@bob.jones:localhost", "@caroline:localhost", "@grandpa:localhost", "@slack-bot-reminderbot:localhost", "@slack-bot-weather:localhost", "@slack-import:localhost"],
            await MembersAsync(matrix, admin, rooms["C01GENERAL"], ct));
        Assert.Equal(["@admin:localhost", "@alice:localhost", "@bob.jones:localhost", "@caroline:localhost", "@slack-import:localhost"], await MembersAsync(matrix, admin, rooms["C02TRIPS"], ct));
        Assert.Equal(["@admin:localhost", "@alice:localhost", "@bob.jones:localhost", "@slack-import:localhost"], await MembersAsync(matrix, admin, rooms["G01SECRET"], ct));
        Assert.Equal(["@admin:localhost", "@alice:localhost", "@bob.jones:localhost", "@slack-import:localhost"], await MembersAsync(matrix, admin, rooms["D01ALICEBOB"], ct));
        Assert.Equal(["@admin:localhost", "@alice:localhost", "@bob.jones:localhost", "@caroline:localhost", "@slack-import:localhost"], await MembersAsync(matrix, admin, rooms["G02MPDM"], ct));

        // New people get their Slack display names; the existing member keeps her own.
        Assert.Equal("Bob Jones", (await matrix.GetAsync("/_matrix/client/v3/profile/%40bob.jones%3Alocalhost/displayname", admin.AccessToken, ct)).GetString("displayname"));
        Assert.Equal("Weather (Slack bot)", (await matrix.GetAsync("/_matrix/client/v3/profile/%40slack-bot-weather%3Alocalhost/displayname", admin.AccessToken, ct)).GetString("displayname"));
    }

    private static async Task AssertGeneralAsync(MatrixClient matrix, MatrixSession admin, string roomId, CancellationToken ct)
    {
        var timeline = await TimelineAsync(matrix, admin, roomId, ct);
        var messages = timeline.Where(e => e.GetProperty("type").GetString() == "m.room.message").ToList();
        (string Sender, long Ts, string Body)[] expected =
        [
            ("@alice:localhost", 1615712460000, "Welcome to our *family* workspace! 🎉 See #trips & say hi to Bob Jones"),
            ("@bob.jones:localhost", 1615716000000, "Who's bringing the cake? 🍰"),
            ("@caroline:localhost", 1615716060000, "Me! _chocolate_ ok?"),
            ("@alice:localhost", 1615716120000, "~vanilla~ chocolate it is"),
            ("@slack-bot-weather:localhost", 1615720000000, "Sunny, 18 °C in Berlin"),
            ("@slack-bot-reminderbot:localhost", 1615723600000, "Reminder: call grandma ☎️"),
            ("@alice:localhost", 1615800000000, "Beach day!"),
            ("@alice:localhost", 1615800000000, "beach.png"),
            ("@bob.jones:localhost", 1615800050000, "(file not in the Slack export: itinerary.pdf)"),
            ("@slack-import:localhost", 1615800100000, "(message deleted in Slack)"),
            ("@caroline:localhost", 1615800200000, "I saw it before it was deleted 🙈"),
        ];
        Assert.Equal(expected, messages.Select(m => (Sender(m), m.GetProperty("origin_server_ts").GetInt64(), Content(m).GetProperty("body").GetString()!)));

        var welcome = Content(messages[0]);
        Assert.Equal("org.matrix.custom.html", welcome.GetProperty("format").GetString());
        Assert.Contains("<strong>family</strong>", welcome.GetProperty("formatted_body").GetString(), StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://matrix.to/#/@bob.jones:localhost\">Bob Jones</a>", welcome.GetProperty("formatted_body").GetString(), StringComparison.Ordinal);
        Assert.Equal("m.notice", Content(messages[4]).GetProperty("msgtype").GetString());

        // The thread: both replies point at bob's root; the deleted root's reply at its notice.
        var root = messages[1].GetProperty("event_id").GetString();
        foreach (var reply in new[] { messages[2], messages[3] })
        {
            var relation = Content(reply).GetProperty("m.relates_to");
            Assert.Equal("m.thread", relation.GetProperty("rel_type").GetString());
            Assert.Equal(root, relation.GetProperty("event_id").GetString());
            Assert.True(relation.GetProperty("is_falling_back").GetBoolean());
        }

        Assert.Equal(messages[9].GetProperty("event_id").GetString(), Content(messages[10]).GetProperty("m.relates_to").GetProperty("event_id").GetString());

        // The reaction: a heart by bob and one by carol, on the welcome message.
        var reactions = timeline.Where(e => e.GetProperty("type").GetString() == "m.reaction").ToList();
        Assert.Equal(["@bob.jones:localhost", "@caroline:localhost"], reactions.Select(Sender).Order());
        Assert.All(reactions, r =>
        {
            var relation = Content(r).GetProperty("m.relates_to");
            Assert.Equal(("m.annotation", messages[0].GetProperty("event_id").GetString(), "❤️"),
                (relation.GetProperty("rel_type").GetString(), relation.GetProperty("event_id").GetString(), relation.GetProperty("key").GetString()));
        });

        // The photo's bytes, as uploaded from the export.
        var image = Content(messages[7]);
        Assert.Equal("m.image", image.GetProperty("msgtype").GetString());
        Assert.Equal("image/png", image.GetProperty("info").GetProperty("mimetype").GetString());
        var bytes = await File.ReadAllBytesAsync(Path.Combine(Export, "general", "attachments", "F01PHOTO-beach.png"), ct);
        Assert.Equal(bytes.Length, image.GetProperty("info").GetProperty("size").GetInt64());
        var (status, downloaded) = await matrix.DownloadAsync(admin, image.GetProperty("url").GetString()!, ct);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(bytes, downloaded);

        // Joins and the topic change are state, never chat text.
        var topic = timeline.Single(e => e.GetProperty("type").GetString() == "m.room.topic" && Sender(e) == "@alice:localhost");
        Assert.Equal(1615727200000, topic.GetProperty("origin_server_ts").GetInt64());
        var aliceJoin = timeline.Single(e => e.GetProperty("type").GetString() == "m.room.member" && e.GetProperty("state_key").GetString() == "@alice:localhost");
        Assert.Equal(1615712400000, aliceJoin.GetProperty("origin_server_ts").GetInt64());
        Assert.DoesNotContain(messages, m => Content(m).GetProperty("body").GetString()!.Contains("has joined", StringComparison.Ordinal));
        Assert.DoesNotContain(messages, m => Content(m).GetProperty("body").GetString()!.Contains("pinned", StringComparison.Ordinal));
    }

    private static async Task AssertOtherConversationsAsync(MatrixClient matrix, MatrixSession admin, MatrixSession alice, Dictionary<string, string> rooms, CancellationToken ct)
    {
        var trips = (await TimelineAsync(matrix, admin, rooms["C02TRIPS"], ct)).ToList();
        var plan = Content(trips.First(e => e.GetProperty("type").GetString() == "m.room.message"));
        Assert.Equal("Plan:\n> pack light\n```\nday 1: fly & rest\nday 2: <beach>\n```\nrun `make trip` first", plan.GetProperty("body").GetString());
        Assert.Contains("<pre><code>day 1: fly &amp; rest\nday 2: &lt;beach&gt;</code></pre>", plan.GetProperty("formatted_body").GetString(), StringComparison.Ordinal);
        var carolLeave = trips.Single(e => e.GetProperty("type").GetString() == "m.room.member" && e.GetProperty("state_key").GetString() == "@caroline:localhost"
            && e.GetProperty("content").GetProperty("membership").GetString() == "leave");
        Assert.Equal(1615893600000, carolLeave.GetProperty("origin_server_ts").GetInt64());

        var secret = (await TimelineAsync(matrix, admin, rooms["G01SECRET"], ct)).Single(e => e.GetProperty("type").GetString() == "m.room.message");
        Assert.Equal(("@alice:localhost", 1617271200000L), (Sender(secret), secret.GetProperty("origin_server_ts").GetInt64()));
        Assert.Equal("Gift ideas for Caro: this lamp (https://example.com/gift?a=1&b=2)", Content(secret).GetProperty("body").GetString());

        var dm = (await TimelineAsync(matrix, admin, rooms["D01ALICEBOB"], ct)).Where(e => e.GetProperty("type").GetString() == "m.room.message").ToList();
        // Slack's "1617357600.734100" is 1617357600734 ms: origin_server_ts keeps the milliseconds.
        Assert.Equal([("@bob.jones:localhost", 1617357600734L, "m.text", "hi mom 👋🏼"), ("@alice:localhost", 1617357660000L, "m.emote", "waves back")],
            dm.Select(m => (Sender(m), m.GetProperty("origin_server_ts").GetInt64(), Content(m).GetProperty("msgtype").GetString()!, Content(m).GetProperty("body").GetString()!)));

        // The DM is a direct room for alice (m.direct), read with her own session.
        var direct = (await matrix.GetAsync("/_matrix/client/v3/user/%40alice%3Alocalhost/account_data/m.direct", alice.AccessToken, ct)).EnsureSuccess("m.direct").Body;
        Assert.Contains(rooms["D01ALICEBOB"], direct.GetProperty("@bob.jones:localhost").EnumerateArray().Select(r => r.GetString()));
        Assert.Contains(rooms["G02MPDM"], direct.GetProperty("@caroline:localhost").EnumerateArray().Select(r => r.GetString()));
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunCliAsync(string[] args, Dictionary<string, string> variables, CancellationToken ct)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var environment = new CliEnvironment(stdout, stderr, name => variables.GetValueOrDefault(name));
        var exitCode = await AdminCommandLine.RunAsync(["import-slack", .. args], environment, ct);
        return (exitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>
    /// Imported history notifies nobody (it would otherwise reach phones through pushers), and the rooms are not
    /// muted: a live message in #general after the import does notify alice. Dendrite notifies in stream order, so
    /// once that notification is there every imported event has been through the notifier too.
    /// </summary>
    private static async Task<string> AssertHistoryDidNotNotifyAsync(MatrixClient matrix, MatrixSession admin, MatrixSession alice, Dictionary<string, string> rooms, CancellationToken ct)
    {
        var rules = await matrix.GetAsync("/_matrix/client/v3/pushrules/", alice.AccessToken, ct);
        Assert.Equal(HttpStatusCode.OK, rules.Status);
        var history = Assert.Single(rules.Body.GetProperty("global").GetProperty("override").EnumerateArray(), r => r.GetProperty("rule_id").GetString() == "org.dendriteaspire.slack.history");
        Assert.Equal("content.org_dendriteaspire_slack_history", history.GetProperty("conditions")[0].GetProperty("key").GetString());

        var live = await matrix.SendTextAsync(admin, rooms["C01GENERAL"], "after the import: alice, this one is new", ct);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        List<JsonElement> notifications;
        while (true)
        {
            var response = await matrix.GetAsync("/_matrix/client/v3/notifications?limit=1000", alice.AccessToken, ct);
            Assert.Equal(HttpStatusCode.OK, response.Status);
            notifications = [.. response.Body.GetProperty("notifications").EnumerateArray()];
            if (notifications.Any(n => n.GetProperty("event").GetProperty("event_id").GetString() == live) || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(500, ct);
        }

        var ids = notifications.Select(n => n.GetProperty("event").GetProperty("event_id").GetString()).ToList();
        Assert.Contains(live, ids);
        Assert.Equal([live], notifications.Where(n => rooms.ContainsValue(n.GetProperty("room_id").GetString()!)).Select(n => n.GetProperty("event").GetProperty("event_id").GetString()).ToList());
        return live;
    }

    private static async Task WaitForTimelineEventAsync(MatrixClient matrix, MatrixSession user, string roomId, string eventId, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var timeline = await TimelineAsync(matrix, user, roomId, ct);
            if (timeline.Any(e => e.GetProperty("event_id").GetString() == eventId))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{eventId} was not in {roomId}'s timeline (/messages) 60 s after it was sent; the last events there: "
                + string.Join(", ", timeline.TakeLast(3).Select(e => e.GetProperty("event_id").GetString())));
            await Task.Delay(250, ct);
        }
    }

    private static async Task<Dictionary<string, string>> ImportedRoomsAsync(MatrixClient matrix, MatrixSession admin, CancellationToken ct)
    {
        var rooms = new Dictionary<string, string>();
        foreach (var roomId in await JoinedRoomsAsync(matrix, admin, ct))
        {
            var marker = await matrix.GetAsync($"/_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/state/org.dendriteaspire.slack.conversation/", admin.AccessToken, ct);
            if (marker.IsSuccess)
            {
                rooms[marker.GetString("channel_id")] = roomId;
            }
        }

        return rooms;
    }

    private static async Task<List<string>> JoinedRoomsAsync(MatrixClient matrix, MatrixSession user, CancellationToken ct) =>
        [.. (await matrix.GetAsync("/_matrix/client/v3/joined_rooms", user.AccessToken, ct)).EnsureSuccess("joined_rooms").Body.GetProperty("joined_rooms").EnumerateArray().Select(r => r.GetString()!)];

    private static async Task<List<string>> MembersAsync(MatrixClient matrix, MatrixSession user, string roomId, CancellationToken ct) =>
        [.. (await matrix.GetAsync($"/_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/joined_members", user.AccessToken, ct)).EnsureSuccess("joined_members")
            .Body.GetProperty("joined").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];

    private static async Task<JsonElement> StateAsync(MatrixClient matrix, MatrixSession user, string roomId, string type, string stateKey, CancellationToken ct) =>
        (await matrix.GetAsync($"/_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/state/{type}/{Uri.EscapeDataString(stateKey)}", user.AccessToken, ct))
            .EnsureSuccess($"{type} of {roomId}").Body;

    /// <summary>The whole timeline, oldest first.</summary>
    private static async Task<List<JsonElement>> TimelineAsync(MatrixClient matrix, MatrixSession user, string roomId, CancellationToken ct)
    {
        var events = new List<JsonElement>();
        string? from = null;
        while (true)
        {
            var path = $"/_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/messages?dir=b&limit=500" + (from is null ? "" : "&from=" + Uri.EscapeDataString(from));
            var body = (await matrix.GetAsync(path, user.AccessToken, ct)).EnsureSuccess("messages").Body;
            var chunk = body.GetProperty("chunk");
            if (chunk.GetArrayLength() == 0)
            {
                break;
            }

            events.AddRange(chunk.EnumerateArray().Select(e => e.Clone()));
            var end = body.TryGetProperty("end", out var e) ? e.GetString() : null;
            if (end is null || end == from)
            {
                break;
            }

            from = end;
        }

        events.Reverse();
        return events;
    }

    private static string Sender(JsonElement e) => e.GetProperty("sender").GetString()!;

    private static JsonElement Content(JsonElement e) => e.GetProperty("content");
}
