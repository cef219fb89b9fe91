using System.Net;

namespace DendriteAspire.Onboarding.Tests;

/// <summary>The join page in-process: every outcome of a link, and what each one creates (or does not).</summary>
public sealed class JoinPageTests : IDisposable
{
    private const string Password = "correct horse battery";
    private readonly OnboardingFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    private int Registrations => _factory.Dendrite.Requests.Count(r => r == "POST /_synapse/admin/v1/register");

    [Fact]
    public async Task A_valid_link_shows_who_invited_the_person_their_matrix_id_and_an_accessible_form()
    {
        var link = await _factory.CreateLinkAsync("grandma", "Grandma");
        var client = _factory.CreateClient();

        var (status, html) = await Pages.GetAsync(client, link);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Join the family chat", Pages.Heading(html));
        Assert.Contains("@grandma:family.example", html, StringComparison.Ordinal);
        Assert.Contains("@admin:family.example", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"password\">Choose a password</label>", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"confirm\">Type the password again</label>", html, StringComparison.Ordinal);
        Assert.Contains("autocomplete=\"new-password\"", html, StringComparison.Ordinal);
        Assert.NotEmpty(Pages.AntiforgeryToken(html));
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Submitting_creates_the_account_joins_the_family_room_and_shows_element_and_the_mobile_apps()
    {
        var link = await _factory.CreateLinkAsync("grandma", "Grandma");
        var client = _factory.CreateClient();
        var (_, form) = await Pages.GetAsync(client, link);

        var (status, html) = await Pages.PostFormAsync(client, link, form, ("password", Password), ("confirm", Password));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Welcome to the family chat", Pages.Heading(html));
        Assert.Contains("@grandma:family.example", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://chat.family.example/\"", html, StringComparison.Ordinal);
        Assert.Contains("https://matrix.family.example", html, StringComparison.Ordinal);
        Assert.Contains("Element Classic", html, StringComparison.Ordinal);
        Assert.Contains("FluffyChat", html, StringComparison.Ordinal);

        var dendrite = _factory.Dendrite;
        var account = dendrite.Accounts["@grandma:family.example"];
        Assert.Equal(Password, account.Password);
        Assert.False(account.Admin);
        Assert.Equal("Grandma", account.DisplayName);

        var roomId = dendrite.Aliases["#family:family.example"];
        var members = dendrite.Rooms[roomId].Members;
        Assert.Equal("join", members["@grandma:family.example"]);
        // The room is the service account's: made here, no server admin, and the bootstrap admin is nowhere in it.
        Assert.Equal("join", members[OnboardingFactory.RoomOwner]);
        Assert.False(dendrite.Accounts[OnboardingFactory.RoomOwner].Admin);
        Assert.Equal(OnboardingOptions.RoomOwnerDisplayName, dendrite.Accounts[OnboardingFactory.RoomOwner].DisplayName);
        Assert.False(dendrite.Accounts.ContainsKey("@admin:family.example"));
    }

    [Fact]
    public async Task The_family_room_is_created_once_and_every_relative_joins_the_same_one()
    {
        var client = _factory.CreateClient();
        foreach (var name in new[] { "grandma", "grandpa" })
        {
            var link = await _factory.CreateLinkAsync(name);
            var (_, form) = await Pages.GetAsync(client, link);
            var (status, _) = await Pages.PostFormAsync(client, link, form, ("password", Password), ("confirm", Password));
            Assert.Equal(HttpStatusCode.OK, status);
        }

        var room = Assert.Single(_factory.Dendrite.Rooms).Value;
        Assert.Equal([OnboardingFactory.RoomOwner, "@grandma:family.example", "@grandpa:family.example"], room.Members.Keys.Order(StringComparer.Ordinal));
        Assert.Single(_factory.Dendrite.Requests, r => r == "POST /_matrix/client/v3/createRoom");
    }

    [Fact]
    public async Task A_used_link_says_so_and_creates_nothing()
    {
        var link = await _factory.CreateLinkAsync("grandma");
        var client = _factory.CreateClient();
        var (_, form) = await Pages.GetAsync(client, link);
        await Pages.PostFormAsync(client, link, form, ("password", Password), ("confirm", Password));
        var registrations = Registrations;

        var (status, html) = await Pages.GetAsync(client, link);
        var (postStatus, postHtml) = await Pages.PostFormAsync(client, link, form, ("password", "another password!"), ("confirm", "another password!"));

        Assert.Equal(HttpStatusCode.Gone, status);
        Assert.Equal("This link was used already", Pages.Heading(html));
        Assert.Contains("ask <strong>@admin:family.example</strong>", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Gone, postStatus);
        Assert.Equal("This link was used already", Pages.Heading(postHtml));
        Assert.Equal(registrations, Registrations);
        Assert.Equal(Password, _factory.Dendrite.Accounts["@grandma:family.example"].Password);
    }

    [Fact]
    public async Task A_name_taken_since_the_link_was_made_counts_as_used()
    {
        var link = await _factory.CreateLinkAsync("grandma");
        _factory.Dendrite.AddAccount("grandma", "made with the CLI", admin: false);

        var (status, html) = await Pages.GetAsync(_factory.CreateClient(), link);

        Assert.Equal(HttpStatusCode.Gone, status);
        Assert.Equal("This link was used already", Pages.Heading(html));
        Assert.Equal(0, Registrations);
    }

    [Fact]
    public async Task An_expired_link_says_when_it_ran_out_and_whom_to_ask()
    {
        // Signed under the service's own secret, one minute past its expiry.
        var token = DendriteAspire.Onboarding.Invites.InviteToken
            .Create("grandma", null, "@admin:family.example", DateTimeOffset.UtcNow.AddMinutes(-1))
            .Sign(System.Text.Encoding.UTF8.GetBytes(OnboardingFactory.InviteSecret));
        var client = _factory.CreateClient();

        var (_, form) = await Pages.GetAsync(client, new Uri(await _factory.CreateLinkAsync("someone")).PathAndQuery);

        var (status, html) = await Pages.GetAsync(client, "/join/" + token);
        var (postStatus, _) = await Pages.PostFormAsync(client, "/join/" + token, form, ("password", Password), ("confirm", Password));

        Assert.Equal(HttpStatusCode.Gone, status);
        Assert.Equal("This link has expired", Pages.Heading(html));
        Assert.Contains("@grandma:family.example", html, StringComparison.Ordinal);
        Assert.Contains("Ask <strong>@admin:family.example</strong> for a new link", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Gone, postStatus);
        Assert.Empty(_factory.Dendrite.Accounts);
    }

    [Fact]
    public async Task A_tampered_link_does_not_work_and_creates_nothing()
    {
        var link = await _factory.CreateLinkAsync("grandma");
        var token = link[(link.LastIndexOf('/') + 1)..];
        var payload = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(token.Split('.')[0])).Replace("grandma", "grandpa", StringComparison.Ordinal);
        var forged = System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(payload)) + "." + token.Split('.')[1];
        var client = _factory.CreateClient();

        var (_, form) = await Pages.GetAsync(client, new Uri(link).PathAndQuery);

        var (status, html) = await Pages.GetAsync(client, "/join/" + forged);
        var (postStatus, _) = await Pages.PostFormAsync(client, "/join/" + forged, form, ("password", Password), ("confirm", Password));

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("This link does not work", Pages.Heading(html));
        Assert.Contains("changed or is no longer valid", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, postStatus);
        Assert.Empty(_factory.Dendrite.Accounts);
    }

    [Theory]
    [InlineData("/join/")]
    [InlineData("/join/abc")]
    [InlineData("/join/abc.def.ghi")]
    public async Task A_malformed_link_says_it_is_incomplete(string path)
    {
        var (status, html) = await Pages.GetAsync(_factory.CreateClient(), path);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("This link does not work", Pages.Heading(html));
        Assert.Contains("incomplete", html, StringComparison.Ordinal);
        Assert.Empty(_factory.Dendrite.Requests);
    }

    [Theory]
    [InlineData("short", "short", "at least 10 characters")]
    [InlineData("correct horse battery", "correct horse batterY", "not the same")]
    [InlineData("", "", "at least 10 characters")]
    public async Task A_bad_password_is_explained_on_the_form_and_creates_nothing(string password, string confirm, string message)
    {
        var link = await _factory.CreateLinkAsync("grandma");
        var client = _factory.CreateClient();
        var (_, form) = await Pages.GetAsync(client, link);

        var (status, html) = await Pages.PostFormAsync(client, link, form, ("password", password), ("confirm", confirm));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Join the family chat", Pages.Heading(html));
        Assert.Contains("role=\"alert\"", html, StringComparison.Ordinal);
        Assert.Contains(message, html, StringComparison.Ordinal);
        Assert.Equal(0, Registrations);
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused()
    {
        var link = await _factory.CreateLinkAsync("grandma");
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["password"] = Password, ["confirm"] = Password });

        using var response = await _factory.CreateClient().PostAsync(link, content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, Registrations);
    }

    [Fact]
    public async Task No_secret_reaches_the_browser_on_any_page()
    {
        var link = await _factory.CreateLinkAsync("grandma");
        var client = _factory.CreateClient();
        var pages = new List<string>();
        var (_, form) = await Pages.GetAsync(client, link);
        pages.Add(form);
        pages.Add((await Pages.PostFormAsync(client, link, form, ("password", "short"), ("confirm", "short"))).Html);
        pages.Add((await Pages.PostFormAsync(client, link, form, ("password", Password), ("confirm", Password))).Html);
        pages.Add((await Pages.GetAsync(client, link)).Html);
        pages.Add((await Pages.GetAsync(client, "/join/x.y")).Html);
        pages.Add((await Pages.GetAsync(client, "/admin")).Html);

        foreach (var secret in new[] { OnboardingFactory.RegistrationSecret, OnboardingFactory.RoomOwnerPassword, OnboardingFactory.InviteSecret, Password })
        {
            Assert.All(pages, page => Assert.DoesNotContain(secret, page, StringComparison.Ordinal));
        }
    }
}
