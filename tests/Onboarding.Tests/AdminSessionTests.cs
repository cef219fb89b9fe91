using System.Net;

namespace DendriteAspire.Onboarding.Tests;

/// <summary>
/// The admin page acts with the signed-in admin's own Matrix session, checks it with Dendrite on every request and
/// closes it on sign-out (Dendrite faked at the HttpClient boundary; the live counterpart is in the Integration tests).
/// </summary>
public sealed class AdminSessionTests : IDisposable
{
    private const string Mum = "@mum:family.example";
    private readonly OnboardingFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    private async Task<(HttpClient Client, string Page)> SignInAsync(string name = "mum", string password = "mum's password")
    {
        var client = _factory.CreateClient();
        var (_, form) = await Pages.GetAsync(client, "/admin");
        var (status, page) = await Pages.PostFormAsync(client, "/admin?handler=SignIn", form, ("userName", name), ("password", password));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Signed in as", page, StringComparison.Ordinal);
        return (client, page);
    }

    [Fact]
    public async Task Signing_in_opens_one_session_named_family_admin_page_and_signing_out_closes_it()
    {
        _factory.Dendrite.AddAccount("mum", "mum's password", admin: true);
        _factory.Dendrite.RevokeSessions(Mum);
        var (client, page) = await SignInAsync();
        Assert.Equal(["Family admin page"], _factory.Dendrite.OpenSessions(Mum));

        var (_, signedOut) = await Pages.PostFormAsync(client, "/admin?handler=SignOut", page);

        Assert.Contains("Sign in with your Matrix admin account", signedOut, StringComparison.Ordinal);
        Assert.Empty(_factory.Dendrite.OpenSessions(Mum));
    }

    [Fact]
    public async Task A_refused_non_admin_sign_in_leaves_no_session_behind()
    {
        _factory.Dendrite.AddAccount("cousin", "cousin's password", admin: false);
        _factory.Dendrite.RevokeSessions("@cousin:family.example");
        var client = _factory.CreateClient();
        var (_, form) = await Pages.GetAsync(client, "/admin");

        var (status, _) = await Pages.PostFormAsync(client, "/admin?handler=SignIn", form, ("userName", "cousin"), ("password", "cousin's password"));

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Empty(_factory.Dendrite.OpenSessions("@cousin:family.example"));
    }

    [Fact]
    public async Task When_dendrite_forgets_the_token_the_next_request_ends_the_session_and_says_why()
    {
        _factory.Dendrite.AddAccount("mum", "mum's password", admin: true);
        var (client, _) = await SignInAsync();

        _factory.Dendrite.RevokeSessions(Mum);
        var (status, html) = await Pages.GetAsync(client, "/admin");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("no longer accepts your admin session", html, StringComparison.Ordinal);
        Assert.Contains("Sign in with your Matrix admin account", html, StringComparison.Ordinal);
        var (_, after) = await Pages.GetAsync(client, "/admin");
        Assert.Contains("Sign in with your Matrix admin account", after, StringComparison.Ordinal);
        Assert.DoesNotContain("Signed in as", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_action_posted_after_the_token_was_revoked_changes_nothing()
    {
        _factory.Dendrite.AddAccount("mum", "mum's password", admin: true);
        _factory.Dendrite.AddAccount("grandma", "grandma's password", admin: false);
        var (client, page) = await SignInAsync();
        var before = _factory.Dendrite.Requests.Count;

        _factory.Dendrite.RevokeSessions(Mum);
        var (status, _) = await Pages.PostFormAsync(client, "/admin?handler=ResetPassword", page, ("userName", "grandma"), ("newPassword", "a brand new password"));

        // The session ends before the handler runs; the antiforgery token was the admin's, so the post is refused.
        Assert.True(status is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized, $"{(int)status}");
        Assert.Equal("grandma's password", _factory.Dendrite.Accounts["@grandma:family.example"].Password);
        Assert.DoesNotContain(_factory.Dendrite.Requests.Skip(before), r => r.StartsWith("POST /_dendrite/admin/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_demoted_admin_loses_the_page_on_the_next_request_and_its_session_is_closed()
    {
        _factory.Dendrite.AddAccount("mum", "mum's password", admin: true);
        _factory.Dendrite.RevokeSessions(Mum);
        var (client, page) = await SignInAsync();

        _factory.Dendrite.Accounts[Mum].Admin = false;
        var (status, html) = await Pages.GetAsync(client, "/admin");
        var (postStatus, _) = await Pages.PostFormAsync(client, "/admin?handler=Invite", page, ("userName", "grandma"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("@mum:family.example is no longer an admin", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Signed in as", html, StringComparison.Ordinal);
        Assert.Empty(_factory.Dendrite.OpenSessions(Mum));
        Assert.NotEqual(HttpStatusCode.OK, postStatus);
        Assert.DoesNotContain(_factory.Dendrite.Requests, r => r == "POST /_synapse/admin/v1/register");
        Assert.Empty(await InvitesAsync());
    }

    private async Task<IReadOnlyList<Invites.InviteRecord>> InvitesAsync()
    {
        using var scope = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Microsoft.Extensions.DependencyInjection.IServiceScopeFactory>(_factory.Services).CreateScope();
        return await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Invites.InviteStore>(scope.ServiceProvider).ListAsync(10, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Every_admin_request_asks_dendrite_whoami_and_the_admin_check_with_the_admins_own_token()
    {
        _factory.Dendrite.AddAccount("mum", "mum's password", admin: true);
        var (client, _) = await SignInAsync();
        var before = _factory.Dendrite.Calls.Count;

        await Pages.GetAsync(client, "/admin");
        await Pages.GetAsync(client, "/admin");

        var checks = _factory.Dendrite.Calls.Skip(before).Where(c => c.Caller == Mum).Select(c => c.Request).ToList();
        Assert.Equal(2, checks.Count(c => c == "GET /_matrix/client/v3/account/whoami"));
        Assert.Equal(2, checks.Count(c => c == "GET /_dendrite/admin/registrationTokens"));
    }

    [Fact]
    public async Task Reset_and_remove_act_with_the_signed_in_admins_token_not_the_bootstrap_admins()
    {
        _factory.Dendrite.AddAccount("mum", "mum's password", admin: true);
        _factory.Dendrite.AddAccount("grandma", "grandma's password", admin: false);
        var (client, page) = await SignInAsync();
        var before = _factory.Dendrite.Calls.Count;

        var (_, reset) = await Pages.PostFormAsync(client, "/admin?handler=ResetPassword", page, ("userName", "grandma"), ("newPassword", "a brand new password"));
        await Pages.PostFormAsync(client, "/admin?handler=RemoveAccess", reset, ("userName", "grandma"));

        var calls = _factory.Dendrite.Calls.Skip(before).ToList();
        var admin = calls.Where(c => c.Request.StartsWith("POST /_dendrite/admin/", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, admin.Count); // reset, remove's reset, evacuate
        Assert.All(admin, c => Assert.Equal(Mum, c.Caller));
        Assert.DoesNotContain(calls, c => c.Caller == "@admin:family.example");
        Assert.DoesNotContain(calls, c => c.Request == "POST /_matrix/client/v3/login");
    }

    [Theory]
    [InlineData("ResetPassword", "reset its password", "admin", "the bootstrap admin")]
    [InlineData("RemoveAccess", "remove its access", "admin", "the bootstrap admin")]
    [InlineData("ResetPassword", "reset its password", "family-rooms", "the service account that owns the Family room")]
    [InlineData("RemoveAccess", "remove its access", "family-rooms", "the service account that owns the Family room")]
    public async Task The_page_refuses_to_reset_or_remove_the_bootstrap_admin_or_the_room_owner_and_changes_nothing(string handler, string action, string userName, string role)
    {
        _factory.Dendrite.AddAccount("mum", "mum's password", admin: true);
        _factory.Dendrite.AddAccount("admin", OnboardingFactory.AdminPassword, admin: true);
        _factory.Dendrite.AddAccount("family-rooms", OnboardingFactory.RoomOwnerPassword, admin: false);
        var (client, page) = await SignInAsync();

        var (status, html) = await Pages.PostFormAsync(client, $"/admin?handler={handler}", page, ("userName", userName), ("newPassword", "a brand new password"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains($"@{userName}:family.example is {role}", html, StringComparison.Ordinal);
        Assert.Contains($"does not {action}", html, StringComparison.Ordinal);
        Assert.Equal(OnboardingFactory.AdminPassword, _factory.Dendrite.Accounts["@admin:family.example"].Password);
        Assert.Equal(OnboardingFactory.RoomOwnerPassword, _factory.Dendrite.Accounts[OnboardingFactory.RoomOwner].Password);
        Assert.DoesNotContain(_factory.Dendrite.Requests, r => r.StartsWith("POST /_dendrite/admin/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_admin_revokes_one_pending_invite_and_its_link_stops_working_while_others_still_work()
    {
        _factory.Dendrite.AddAccount("mum", "mum's password", admin: true);
        var (client, page) = await SignInAsync();
        var revoked = await _factory.CreateLinkAsync("grandma");
        var kept = await _factory.CreateLinkAsync("grandpa");
        var (_, listed) = await Pages.GetAsync(client, "/admin");
        var nonce = System.Text.RegularExpressions.Regex.Match(listed, "name=\"nonce\" value=\"([^\"]+)\" /><button type=\"submit\" class=\"secondary\" aria-label=\"Revoke the invite for grandma\"").Groups[1].Value;
        Assert.NotEmpty(nonce);

        var (status, html) = await Pages.PostFormAsync(client, "/admin?handler=Revoke", listed, ("nonce", nonce));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("The invite for @grandma:family.example is revoked", html, StringComparison.Ordinal);
        Assert.Contains("<td>grandma</td><td>revoked</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>grandpa</td><td>pending</td>", html, StringComparison.Ordinal);
        var relative = _factory.CreateClient();
        var (revokedStatus, revokedPage) = await Pages.GetAsync(relative, revoked);
        Assert.Equal(HttpStatusCode.Gone, revokedStatus);
        Assert.Equal("This link was cancelled", Pages.Heading(revokedPage));
        var (keptStatus, _) = await Pages.GetAsync(relative, kept);
        Assert.Equal(HttpStatusCode.OK, keptStatus);

        // Posting the old form anyway creates nothing.
        var (postStatus, _) = await Pages.PostFormAsync(relative, revoked, (await Pages.GetAsync(relative, kept)).Html, ("password", "a long password 1"), ("confirm", "a long password 1"));
        Assert.Equal(HttpStatusCode.Gone, postStatus);
        Assert.False(_factory.Dendrite.Accounts.ContainsKey("@grandma:family.example"));
        Assert.NotEmpty(page);
    }
}
