using System.Net;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using DendriteAspire.Hosting;
using Npgsql;
using Pages = DendriteAspire.Onboarding.Tests.Pages;

namespace DendriteAspire.Integration.Tests;

/// <summary>
/// The onboarding service's sessions as the real Dendrite sees them (on Postgres, so a test can demote an admin the
/// way only the database can): the admin page's device is named and closed, a revoked token or a demoted admin ends
/// the page's session on the next request, and joining through a link leaves no session of the relative open.
/// </summary>
[Trait("Category", "Live")]
[Collection(PostgresStackDefinition.Name)]
public class OnboardingSecurityLiveTests(PostgresAppFixture stack)
{
    private static readonly TimeSpan ServiceStart = TimeSpan.FromMinutes(3);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(DendriteApp App, Uri Onboarding)> ReadyAsync(PostgresAppFixture stack)
    {
        var app = await stack.GetAppAsync();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(ServiceStart);
        await app.App.ResourceNotifications.WaitForResourceHealthyAsync("onboarding", timeout.Token);
        var onboarding = app.Model.Resources.OfType<ProjectResource>().Single(r => r.Name == "onboarding");
        return (app, new Uri(onboarding.GetEndpoint("http").Url));
    }

    private static int _nextAddress = 10;

    /// <summary>
    /// Locally Aspire's proxy sits in front of the service, so every test shares one client address and the join limit
    /// (10 a minute); a refused request waits for the next window, as a person would. Nothing here counts on a 429.
    /// </summary>
    private static async Task<(HttpStatusCode Status, string Html)> PatientAsync(Func<Task<(HttpStatusCode Status, string Html)>> send)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var answer = await send();
            if (answer.Status != HttpStatusCode.TooManyRequests || DateTime.UtcNow > deadline)
            {
                return answer;
            }

            await Task.Delay(TimeSpan.FromSeconds(5), Ct);
        }
    }

    private static Task<(HttpStatusCode Status, string Html)> GetAsync(HttpClient browser, string path) =>
        PatientAsync(() => Pages.GetAsync(browser, path));

    private static Task<(HttpStatusCode Status, string Html)> PostFormAsync(HttpClient browser, string path, string page, params (string Name, string Value)[] fields) =>
        PatientAsync(() => Pages.PostFormAsync(browser, path, page, fields));

    /// <summary>
    /// A browser-like client (cookies kept, redirects followed) connecting from its own loopback address
    /// (127.0.0.10, .11, ...): the service limits sign-ins per address, and each test is another person.
    /// </summary>
    private static HttpClient Browser(Uri onboarding)
    {
        var source = IPAddress.Parse($"127.0.0.{Interlocked.Increment(ref _nextAddress)}");
        var handler = new SocketsHttpHandler
        {
            CookieContainer = new CookieContainer(),
            AllowAutoRedirect = true,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), cancellationToken);
                    return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = onboarding };
    }

    private static async Task<string> SignInAsync(HttpClient browser, RegisteredUser admin)
    {
        var (formStatus, form) = await GetAsync(browser, "/admin");
        Assert.True(formStatus == HttpStatusCode.OK, $"GET /admin: {(int)formStatus} {form[..Math.Min(form.Length, 2000)]}");
        var (status, page) = await PostFormAsync(browser, "/admin?handler=SignIn", form, ("userName", admin.Localpart), ("password", admin.Password));
        Assert.True(status == HttpStatusCode.OK && page.Contains("Signed in as", StringComparison.Ordinal), $"sign-in: {(int)status}");
        return page;
    }

    /// <summary>The display names of the user's devices, as Dendrite lists them (the listing session excluded).</summary>
    private static async Task<List<string>> DevicesAsync(DendriteApp app, MatrixSession session)
    {
        var response = (await app.Matrix.GetAsync("/_matrix/client/v3/devices", session.AccessToken, Ct)).EnsureSuccess("list devices");
        var own = (await app.Matrix.GetAsync("/_matrix/client/v3/account/whoami", session.AccessToken, Ct)).GetString("device_id");
        return [.. response.Body.GetProperty("devices").EnumerateArray()
            .Where(d => d.GetProperty("device_id").GetString() != own)
            .Select(d => d.TryGetProperty("display_name", out var name) && name.ValueKind == System.Text.Json.JsonValueKind.String ? name.GetString()! : "(unnamed)")];
    }

    [Fact]
    public async Task The_admin_page_session_is_a_device_named_family_admin_page_and_signing_out_removes_it()
    {
        var (app, onboarding) = await ReadyAsync(stack);
        var admin = await Conversation.RegisterAsync(app, "pageadmin", admin: true, Ct);
        using var browser = Browser(onboarding);

        var page = await SignInAsync(browser, admin);
        Assert.Equal(["Family admin page"], (await DevicesAsync(app, admin.Session)).Where(d => d != "shared_secret_registration"));

        await PostFormAsync(browser, "/admin?handler=SignOut", page);

        Assert.DoesNotContain("Family admin page", await DevicesAsync(app, admin.Session));
    }

    [Fact]
    public async Task When_the_admin_signs_out_everywhere_the_page_session_ends_on_the_next_request()
    {
        var (app, onboarding) = await ReadyAsync(stack);
        var admin = await Conversation.RegisterAsync(app, "revoked", admin: true, Ct);
        using var browser = Browser(onboarding);
        await SignInAsync(browser, admin);

        (await app.Matrix.SendAsync(HttpMethod.Post, "/_matrix/client/v3/logout/all", new JsonObject(), admin.Session.AccessToken, Ct)).EnsureSuccess("logout all");
        var (status, html) = await GetAsync(browser, "/admin");

        Assert.True(status == HttpStatusCode.OK, $"{(int)status} {html[..Math.Min(html.Length, 2000)]}");
        Assert.Contains("no longer accepts your admin session", html, StringComparison.Ordinal);
        Assert.Contains("Sign in with your Matrix admin account", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Signed in as", (await GetAsync(browser, "/admin")).Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_demoted_admin_loses_the_page_on_the_next_request_and_its_device_is_closed()
    {
        var (app, onboarding) = await ReadyAsync(stack);
        var admin = await Conversation.RegisterAsync(app, "demoted", admin: true, Ct);
        using var browser = Browser(onboarding);
        await SignInAsync(browser, admin);

        // Dendrite has no API that takes admin rights away; its account type (3 admin, 1 user) lives in the database.
        await using (var connection = new NpgsqlConnection(await app.App.GetConnectionStringAsync("dendrite-db", Ct)))
        {
            await connection.OpenAsync(Ct);
            await using var demote = new NpgsqlCommand("UPDATE userapi_accounts SET account_type = 1 WHERE localpart = @localpart", connection);
            demote.Parameters.AddWithValue("localpart", admin.Localpart);
            Assert.Equal(1, await demote.ExecuteNonQueryAsync(Ct));
        }

        await Conversation.AssertAdminAsync(app.Matrix, admin.Session, expectedAdmin: false, Ct);
        var (status, html) = await GetAsync(browser, "/admin");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("is no longer an admin of this homeserver", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Signed in as", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Family admin page", await DevicesAsync(app, admin.Session));
    }

    [Fact]
    public async Task Joining_through_a_link_leaves_no_session_of_the_relative_open()
    {
        var (app, onboarding) = await ReadyAsync(stack);
        var dendrite = app.Model.Resources.OfType<DendriteResource>().Single();
        var project = app.Model.Resources.OfType<ProjectResource>().Single(r => r.Name == "onboarding");
        var connection = dendrite.Annotations.OfType<DendriteAccountsAnnotation>().Single().Connection;
        var userName = "aunt" + Guid.NewGuid().ToString("N")[..6];
        var link = await InviteLinkCommand.CreateAsync(project, connection, userName, "Aunt", 24, Ct);
        using var relative = Browser(onboarding);
        var path = new Uri(link.Url).PathAndQuery;
        var (_, form) = await GetAsync(relative, path);

        var (status, welcome) = await PostFormAsync(relative, path, form, ("password", "aunt's long password"), ("confirm", "aunt's long password"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Welcome to the family chat", Pages.Heading(welcome));
        var session = await app.Matrix.LoginOrThrowAsync(userName, "aunt's long password", Ct);
        Assert.Empty(await DevicesAsync(app, session));

        // The room owner's short sessions that created the room and invited her are gone too.
        var ownerPassword = await app.GetParameterValueAsync("onboarding-room-owner-password", Ct);
        var owner = await app.Matrix.LoginOrThrowAsync("family-rooms", ownerPassword, Ct);
        Assert.DoesNotContain("Family onboarding service", await DevicesAsync(app, owner));
        await app.Matrix.SendAsync(HttpMethod.Post, "/_matrix/client/v3/logout", new JsonObject(), owner.AccessToken, Ct);
    }
}
