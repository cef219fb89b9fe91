using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using DendriteAspire.Admin.Accounts;
using DendriteAspire.Admin.Matrix;
using DendriteAspire.Hosting;
using Microsoft.Playwright;
using Browser = DendriteAspire.Onboarding.Tests.Browser;

namespace DendriteAspire.Integration.Tests;

/// <summary>
/// The family web against the real Dendrite: the AppHost's onboarding service and Element Web v1.11.31 with the
/// real homeserver behind them. The client well-known URL is unset here, so Element and the success page point at
/// the homeserver's actual (dynamic) host port.
/// </summary>
public sealed class FamilyWebAppFixture() : DendriteAppFixture("web", withPostgres: false), IAsyncDisposable
{
    public override IReadOnlyList<string> Settings { get; } = ["--Dendrite:WellKnown:ClientUrl="];

    /// <summary>Stops the app, removes its volumes, then the onboarding service's local data directory.</summary>
    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await DisposeAsync();
        var data = OnboardingBuilderExtensions.LocalDataDirectory(VolumePrefix);
        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class FamilyWebStackDefinition : ICollectionFixture<FamilyWebAppFixture>
{
    public const string Name = "Live family web";
}

[Trait("Category", "Live")]
[Collection(FamilyWebStackDefinition.Name)]
public class FamilyWebTests(FamilyWebAppFixture stack)
{
    private static readonly TimeSpan ServiceStart = TimeSpan.FromMinutes(3);

    private static async Task<DendriteApp> ReadyAsync(FamilyWebAppFixture stack, string resource)
    {
        var app = await stack.GetAppAsync();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(ServiceStart);
        await app.App.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
        return app;
    }

    private static Uri Endpoint(DendriteApp app, string resource) =>
        new(app.Model.Resources.OfType<IResourceWithEndpoints>().Single(r => r.Name == resource).GetEndpoint("http").Url);

    [Fact]
    public async Task A_relative_joins_through_the_browser_gets_an_account_that_signs_in_and_is_in_the_family_room()
    {
        var app = await ReadyAsync(stack, "onboarding");
        var cancellationToken = TestContext.Current.CancellationToken;
        var dendrite = app.Model.Resources.OfType<DendriteResource>().Single();
        var onboarding = app.Model.Resources.OfType<ProjectResource>().Single(r => r.Name == "onboarding");
        var connection = dendrite.Annotations.OfType<DendriteAccountsAnnotation>().Single().Connection;
        Assert.Equal(("admin", "dendrite-admin-password"), (connection.Admin.UserName, connection.Admin.Password.Name));
        var userName = "grandma" + Guid.NewGuid().ToString("N")[..6];

        // The dashboard command's own path: bootstrap admin, then POST /api/invites on the running service.
        var link = await InviteLinkCommand.CreateAsync(onboarding, connection, userName, "Grandma", 24, cancellationToken);
        Assert.StartsWith(Endpoint(app, "onboarding") + "join/", link.Url, StringComparison.Ordinal);
        Assert.Equal($"@{userName}:localhost", link.UserId);

        var (playwright, browser) = await Browser.LaunchAsync();
        using var playwrightScope = playwright;
        await using var browserScope = browser;
        var page = await browser.NewPageAsync();
        await page.GotoAsync(link.Url);
        await page.GetByLabel("Choose a password").FillAsync("grandma's real password");
        await page.GetByLabel("Type the password again").FillAsync("grandma's real password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create my account" }).ClickAsync();
        Assert.Equal("Welcome to the family chat", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).TextContentAsync());
        Assert.Equal(Endpoint(app, "element").ToString(), await page.GetByRole(AriaRole.Link, new() { Name = "Open the family chat in your browser" }).GetAttributeAsync("href"));
        await Browser.ScreenshotAsync(page, "live-join-success");

        // The account is real: it signs in over the Matrix API and is joined to #family:localhost.
        var client = new DendriteAdminClient(app.Matrix.Http);
        var session = await client.LoginAsync(userName, "grandma's real password", cancellationToken);
        Assert.Equal(link.UserId, session.UserId);
        var roomId = (await GetJsonAsync(app.Matrix.Http, "/_matrix/client/v3/directory/room/%23family%3Alocalhost", null, cancellationToken)).GetProperty("room_id").GetString();
        var joined = await GetJsonAsync(app.Matrix.Http, "/_matrix/client/v3/joined_rooms", session.AccessToken, cancellationToken);
        Assert.Contains(roomId, joined.GetProperty("joined_rooms").EnumerateArray().Select(r => r.GetString()));
        var members = await GetJsonAsync(app.Matrix.Http, $"/_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId!)}/joined_members", session.AccessToken, cancellationToken);
        Assert.True(members.GetProperty("joined").TryGetProperty("@family-rooms:localhost", out _), "the room's owner, the family-rooms service account, is in it too");

        // The link is spent; the account's password is untouched.
        await page.GotoAsync(link.Url);
        Assert.Equal("This link was used already", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).TextContentAsync());
        await Browser.ScreenshotAsync(page, "live-join-used");

        // The admin page refuses a Matrix account that is not an admin, after checking its password with Dendrite.
        await page.GotoAsync(new Uri(Endpoint(app, "onboarding"), "/admin").ToString());
        await page.GetByLabel("User name").FillAsync(userName);
        await page.GetByLabel("Password").FillAsync("grandma's real password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        Assert.Contains($"@{userName}:localhost is not an admin", await page.GetByRole(AriaRole.Alert).TextContentAsync(), StringComparison.Ordinal);
        await Browser.ScreenshotAsync(page, "live-admin-refused");
    }

    [Fact]
    public async Task Element_serves_a_config_for_this_homeserver_and_a_person_signs_in_creates_a_room_and_sends_a_message()
    {
        var app = await ReadyAsync(stack, "element");
        var cancellationToken = TestContext.Current.CancellationToken;
        var element = Endpoint(app, "element");
        var homeserver = app.Matrix.Http.BaseAddress!.ToString().TrimEnd('/');

        using var http = new HttpClient();
        var config = JsonDocument.Parse(await http.GetStringAsync(new Uri(element, "/config.json"), cancellationToken)).RootElement;
        var server = config.GetProperty("default_server_config").GetProperty("m.homeserver");
        Assert.Equal(Endpoint(app, "dendrite").ToString().TrimEnd('/'), server.GetProperty("base_url").GetString());
        Assert.Equal("localhost", server.GetProperty("server_name").GetString());
        Assert.True(config.GetProperty("disable_guests").GetBoolean());

        var dendrite = app.Model.Resources.OfType<DendriteResource>().Single();
        var secret = await dendrite.RegistrationSharedSecret!.GetValueAsync(cancellationToken);
        var userName = "cousin" + Guid.NewGuid().ToString("N")[..6];
        await using (var accounts = new FamilyAccounts(new DendriteAdminClient(app.Matrix.Http), new FamilyAccountsOptions { SharedSecret = secret }))
        {
            await accounts.CreateAccountAsync(new NewAccount(UserName.Parse(userName), Password: "cousin's password 1"), cancellationToken);
        }

        var (playwright, browser) = await Browser.LaunchAsync();
        using var playwrightScope = playwright;
        await using var browserScope = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        page.SetDefaultTimeout(60_000);
        await page.GotoAsync(new Uri(element, "/#/login").ToString());
        await page.GetByLabel("Username").FillAsync(userName);
        await page.GetByLabel("Password").FillAsync("cousin's password 1");
        await Browser.ScreenshotAsync(page, "live-element-login");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Add room" }).ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "New room" }).ClickAsync();
        await page.GetByLabel("Name").FillAsync("Holiday plans");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create room" }).ClickAsync();
        var composer = page.GetByRole(AriaRole.Textbox, new() { NameRegex = new System.Text.RegularExpressions.Regex("message", System.Text.RegularExpressions.RegexOptions.IgnoreCase) });
        await composer.FillAsync("Hello from Element");
        await composer.PressAsync("Enter");
        await page.GetByText("Hello from Element").Last.WaitForAsync();
        await Browser.ScreenshotAsync(page, "live-element-message");

        // Dendrite has the room and the message event from that user.
        var session = await new DendriteAdminClient(app.Matrix.Http).LoginAsync(userName, "cousin's password 1", cancellationToken);
        var rooms = (await GetJsonAsync(app.Matrix.Http, "/_matrix/client/v3/joined_rooms", session.AccessToken, cancellationToken)).GetProperty("joined_rooms").EnumerateArray().Select(r => r.GetString()!).ToList();
        var sent = false;
        foreach (var room in rooms)
        {
            var messages = await GetJsonAsync(app.Matrix.Http, $"/_matrix/client/v3/rooms/{Uri.EscapeDataString(room)}/messages?dir=b&limit=50", session.AccessToken, cancellationToken);
            sent |= messages.GetProperty("chunk").EnumerateArray().Any(e =>
                e.GetProperty("sender").GetString() == session.UserId && e.GetProperty("type").GetString() is "m.room.message" or "m.room.encrypted");
        }

        Assert.True(sent, $"no message from {session.UserId} in {string.Join(", ", rooms)}");
        Assert.NotEmpty(homeserver);
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient http, string path, string? accessToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
