using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace DendriteAspire.Onboarding.Tests;

/// <summary><c>POST /api/invites</c>, the admin page and the rate limits, in-process.</summary>
public sealed class ApiAndAdminTests : IDisposable
{
    private readonly OnboardingFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    private async Task<HttpResponseMessage> PostInviteAsync(string? token, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/invites") { Content = JsonContent.Create(body) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await _factory.CreateClient().SendAsync(request, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task An_admin_token_gets_201_with_a_link_that_opens_the_join_form()
    {
        var token = _factory.Dendrite.AddAccount("mum", "mum's password", admin: true);

        using var response = await PostInviteAsync(token, new { userName = "grandma", displayName = "Grandma", expiresInHours = 48 });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var url = json.RootElement.GetProperty("url").GetString()!;
        Assert.StartsWith("http://onboarding.test/join/", url, StringComparison.Ordinal);
        Assert.Equal("@grandma:family.example", json.RootElement.GetProperty("userId").GetString());
        var expiresAt = json.RootElement.GetProperty("expiresAt").GetDateTimeOffset();
        Assert.InRange(expiresAt, DateTimeOffset.UtcNow.AddHours(47.9), DateTimeOffset.UtcNow.AddHours(48.1));

        var (status, html) = await Pages.GetAsync(_factory.CreateClient(), new Uri(url).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("@mum:family.example", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_default_expiry_is_seven_days()
    {
        var token = _factory.Dendrite.AddAccount("mum", "mum's password", admin: true);

        using var response = await PostInviteAsync(token, new { userName = "grandma" });

        var created = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.InRange(created.GetProperty("expiresAt").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddDays(7).AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(7).AddMinutes(1));
    }

    [Fact]
    public async Task A_non_admin_token_gets_403_and_no_link()
    {
        var token = _factory.Dendrite.AddAccount("cousin", "cousin's password", admin: false);

        using var response = await PostInviteAsync(token, new { userName = "grandma" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("@cousin:family.example is not an admin", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("token-nobody-has")]
    public async Task No_token_or_an_unknown_one_gets_401(string? token)
    {
        using var response = await PostInviteAsync(token, new { userName = "grandma" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("Grandma", "upper-case")]
    [InlineData("grand ma", "contains")]
    [InlineData("_grandma", "starts with '_'")]
    [InlineData("@grandma:family.example", "full user id")]
    public async Task A_bad_name_gets_400_with_the_rule(string userName, string rule)
    {
        var token = _factory.Dendrite.AddAccount("mum", "mum's password", admin: true);

        using var response = await PostInviteAsync(token, new { userName });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Contains(rule, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task An_existing_name_gets_400_and_an_expiry_out_of_range_too()
    {
        var token = _factory.Dendrite.AddAccount("mum", "mum's password", admin: true);

        using var taken = await PostInviteAsync(token, new { userName = "mum" });
        using var tooLong = await PostInviteAsync(token, new { userName = "grandma", expiresInHours = 100_000 });

        Assert.Equal(HttpStatusCode.BadRequest, taken.StatusCode);
        Assert.Contains("exists already", await taken.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("expiresInHours", await tooLong.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_admin_page_refuses_a_non_admin_matrix_account_and_a_wrong_password()
    {
        _factory.Dendrite.AddAccount("cousin", "cousin's password", admin: false);
        var client = _factory.CreateClient();
        var (_, page) = await Pages.GetAsync(client, "/admin");

        var (status, html) = await Pages.PostFormAsync(client, "/admin?handler=SignIn", page, ("userName", "cousin"), ("password", "cousin's password"));
        var (wrongStatus, wrongHtml) = await Pages.PostFormAsync(client, "/admin?handler=SignIn", page, ("userName", "cousin"), ("password", "guess"));

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("@cousin:family.example is not an admin", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Create invite link", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongStatus);
        Assert.Contains("did not accept", wrongHtml, StringComparison.Ordinal);
        var (_, after) = await Pages.GetAsync(client, "/admin");
        Assert.Contains("Sign in with your Matrix admin account", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_admin_signs_in_creates_a_link_and_sees_it_pending_then_used_and_resets_a_password()
    {
        _factory.Dendrite.AddAccount("mum", "mum's password", admin: true);
        var client = _factory.CreateClient();
        var (_, page) = await Pages.GetAsync(client, "/admin");
        var (signedInStatus, signedIn) = await Pages.PostFormAsync(client, "/admin?handler=SignIn", page, ("userName", "mum"), ("password", "mum's password"));
        Assert.Equal(HttpStatusCode.OK, signedInStatus);
        Assert.Contains("Signed in as <span class=\"id\">@mum:family.example</span>", signedIn, StringComparison.Ordinal);

        var (status, created) = await Pages.PostFormAsync(client, "/admin?handler=Invite", signedIn, ("userName", "grandma"), ("displayName", "Grandma"), ("expiresInHours", "24"));
        Assert.Equal(HttpStatusCode.OK, status);
        var link = System.Text.RegularExpressions.Regex.Match(created, "id=\"link\" type=\"text\" readonly value=\"([^\"]+)\"").Groups[1].Value;
        Assert.StartsWith("http://onboarding.test/join/", link, StringComparison.Ordinal);
        Assert.Contains("<td>grandma (Grandma)</td><td>pending</td>", created, StringComparison.Ordinal);

        var relative = _factory.CreateClient();
        var (_, form) = await Pages.GetAsync(relative, new Uri(link).PathAndQuery);
        await Pages.PostFormAsync(relative, new Uri(link).PathAndQuery, form, ("password", "grandma's password"), ("confirm", "grandma's password"));

        var (_, listed) = await Pages.GetAsync(client, "/admin");
        Assert.Contains("<td>grandma (Grandma)</td><td>used</td>", listed, StringComparison.Ordinal);

        var (resetStatus, reset) = await Pages.PostFormAsync(client, "/admin?handler=ResetPassword", listed, ("userName", "grandma"), ("newPassword", "a brand new password"));
        Assert.Equal(HttpStatusCode.OK, resetStatus);
        Assert.Contains("The password of @grandma:family.example is reset", reset, StringComparison.Ordinal);
        Assert.Equal("a brand new password", _factory.Dendrite.Accounts["@grandma:family.example"].Password);

        var (removeStatus, removed) = await Pages.PostFormAsync(client, "/admin?handler=RemoveAccess", reset, ("userName", "grandma"));
        Assert.Equal(HttpStatusCode.OK, removeStatus);
        Assert.Contains("@grandma:family.example can no longer sign in", removed, StringComparison.Ordinal);
        Assert.NotEqual("a brand new password", _factory.Dendrite.Accounts["@grandma:family.example"].Password);
    }

    [Fact]
    public async Task Admin_actions_without_a_session_are_refused()
    {
        var client = _factory.CreateClient();
        var (_, page) = await Pages.GetAsync(client, "/admin");

        var (status, _) = await Pages.PostFormAsync(client, "/admin?handler=Invite", page, ("userName", "grandma"));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.DoesNotContain(_factory.Dendrite.Requests, r => r.Contains("register", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Join_attempts_are_rate_limited_per_address()
    {
        using var factory = new OnboardingFactory(joinAttemptsPerMinute: 3);
        var link = await factory.CreateLinkAsync("grandma");
        var client = factory.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await Pages.GetAsync(client, link)).Status);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Invite_creation_through_the_api_is_rate_limited_per_address()
    {
        var token = _factory.Dendrite.AddAccount("mum", "mum's password", admin: true);
        var statuses = new List<System.Net.HttpStatusCode>();
        for (var i = 0; i < 22; i++)
        {
            using var response = await PostInviteAsync(token, new { userName = $"cousin{i}" });
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(20, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal([HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses[20..]);
    }

    [Fact]
    public async Task Links_made_before_the_invite_secret_was_rotated_no_longer_work()
    {
        var link = await _factory.CreateLinkAsync("grandma");
        using var rotated = new OnboardingFactory().WithWebHostBuilder(b => b.UseSetting("Onboarding:InviteSecret", "a-new-secret-after-rotation-0123456789"));

        var (status, html) = await Pages.GetAsync(rotated.CreateClient(), new Uri(link).PathAndQuery);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("This link does not work", Pages.Heading(html));
    }

    [Fact]
    public async Task Health_endpoints_answer_for_probes()
    {
        var client = _factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await Pages.GetAsync(client, "/health")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Pages.GetAsync(client, "/alive")).Status);
    }
}
