using System.Net;
using DendriteAspire.Admin.Accounts;
using DendriteAspire.Admin.Cli;
using DendriteAspire.Admin.Matrix;

namespace DendriteAspire.Admin.Tests;

/// <summary>
/// What the library refuses or never repeats: the bootstrap admin's and the family room owner's password and access (library, CLI), a POST whose
/// answer was lost; and acting with a signed-in admin's own session instead of the bootstrap admin's.
/// </summary>
public sealed class SafetyTests
{
    private const string AdminPassword = "admin-password-1";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ScriptedHomeserver Server() => new ScriptedHomeserver()
        .WithLogin("@admin:family.example", AdminPassword)
        .On(HttpMethod.Post, "/_dendrite/admin/resetPassword/", HttpStatusCode.OK, new { password_updated = true })
        .On(HttpMethod.Post, "/_dendrite/admin/evacuateUser/", HttpStatusCode.OK, new { affected = new List<string>() });

    [Theory]
    [InlineData("admin", "it is the bootstrap admin", "dendrite-admin-password")]
    [InlineData("family-rooms", "it is the service account that owns the Family room", "onboarding-room-owner-password")]
    public async Task Resetting_or_removing_the_bootstrap_admin_or_the_room_owner_is_refused_before_any_request(string name, string role, string parameter)
    {
        var server = Server();
        using var http = server.CreateClient();
        await using var accounts = new FamilyAccounts(new DendriteAdminClient(http), new FamilyAccountsOptions
        {
            Admin = new AdminCredentials(UserName.Parse("mum"), "mum's password 1"),
            BootstrapAdmin = UserName.Parse("admin"),
            ServerName = "family.example",
        });

        var reset = await Assert.ThrowsAsync<ProtectedAccountException>(() => accounts.ResetPasswordAsync(UserName.Parse(name), "a new password 123", Ct));
        var removed = await Assert.ThrowsAsync<ProtectedAccountException>(() => accounts.RemoveAccessAsync(UserName.Parse(name), Ct));
        var acting = new MatrixSession("@mum:family.example", "mum-token", null);
        await Assert.ThrowsAsync<ProtectedAccountException>(() => accounts.ResetPasswordAsync(UserName.Parse(name), "a new password 123", acting, Ct));
        await Assert.ThrowsAsync<ProtectedAccountException>(() => accounts.RemoveAccessAsync(UserName.Parse(name), acting, Ct));

        Assert.Contains(role, reset.Message, StringComparison.Ordinal);
        Assert.Contains(parameter, reset.Message, StringComparison.Ordinal);
        Assert.Contains($"remove the access of {name}: {role}", removed.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Without_an_explicit_bootstrap_admin_the_admin_the_tools_sign_in_as_is_protected()
    {
        var server = Server();
        using var http = server.CreateClient();
        await using var accounts = new FamilyAccounts(new DendriteAdminClient(http), new FamilyAccountsOptions
        {
            Admin = new AdminCredentials(UserName.Parse("admin"), AdminPassword),
        });

        await Assert.ThrowsAsync<ProtectedAccountException>(() => accounts.ResetPasswordAsync(UserName.Parse("admin"), null, Ct));
        Assert.Empty(server.To("/_dendrite/admin/"));
    }

    [Theory]
    [InlineData("admin", "bootstrap admin")]
    [InlineData("family-rooms", "owns the Family room")]
    public async Task The_cli_refuses_to_reset_the_bootstrap_admins_or_the_room_owners_password_with_exit_2(string name, string role)
    {
        var server = Server();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var environment = new CliEnvironment(stdout, stderr, variable => variable == AdminOptions.AdminPasswordVariable ? AdminPassword : null, () => server);

        var exitCode = await AdminCommandLine.RunAsync(["reset-password", name, "--homeserver", server.BaseAddress.ToString()], environment, Ct);

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains(role, stderr.ToString(), StringComparison.Ordinal);
        Assert.Empty(server.To("/_dendrite/admin/resetPassword/"));
    }

    [Fact]
    public async Task Acting_as_a_signed_in_admin_uses_that_admins_token_and_never_signs_in_as_the_bootstrap_admin()
    {
        var server = Server();
        using var http = server.CreateClient();
        await using var accounts = new FamilyAccounts(new DendriteAdminClient(http), new FamilyAccountsOptions
        {
            Admin = new AdminCredentials(UserName.Parse("admin"), AdminPassword),
            ServerName = "family.example",
        });
        var mum = new MatrixSession("@mum:family.example", "mum-token", null);

        await accounts.ResetPasswordAsync(UserName.Parse("alice"), "a new password 123", mum, Ct);
        await accounts.RemoveAccessAsync(UserName.Parse("bob"), mum, Ct);
        var self = await Assert.ThrowsAsync<ArgumentException>(() => accounts.RemoveAccessAsync(UserName.Parse("mum"), mum, Ct));

        Assert.All(server.To("/_dendrite/admin/"), r => Assert.Equal("mum-token", r.BearerToken));
        Assert.Equal(3, server.To("/_dendrite/admin/").Count());
        Assert.Empty(server.To("/_matrix/client/v3/login"));
        Assert.Contains("your own access", self.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_revoked_acting_token_is_reported_not_replaced_by_a_bootstrap_sign_in()
    {
        var server = Server().On(HttpMethod.Post, "/_dendrite/admin/resetPassword/", HttpStatusCode.Unauthorized, ScriptedHomeserver.Error("M_UNKNOWN_TOKEN", "Unknown token"));
        using var http = server.CreateClient();
        await using var accounts = new FamilyAccounts(new DendriteAdminClient(http), new FamilyAccountsOptions
        {
            Admin = new AdminCredentials(UserName.Parse("admin"), AdminPassword),
            ServerName = "family.example",
        });

        var error = await Assert.ThrowsAsync<MatrixApiException>(() =>
            accounts.ResetPasswordAsync(UserName.Parse("alice"), "a new password 123", new MatrixSession("@mum:family.example", "gone", null), Ct));

        Assert.Equal(MatrixErrorCodes.UnknownToken, error.ErrorCode);
        Assert.Single(server.To("/_dendrite/admin/resetPassword/"));
        Assert.Empty(server.To("/_matrix/client/v3/login"));
    }

    [Theory]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public async Task A_post_whose_answer_was_lost_is_sent_once(HttpStatusCode status)
    {
        var server = new ScriptedHomeserver().On(HttpMethod.Post, "/_matrix/client/v3/login", status, new { });
        using var http = server.CreateClient();

        await Assert.ThrowsAsync<MatrixApiException>(() => new DendriteAdminClient(http).LoginAsync("alice", "password", Ct));

        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_get_that_fails_on_the_way_is_retried_twice_then_reported()
    {
        var server = new ScriptedHomeserver().On(HttpMethod.Get, "/_matrix/client/v3/account/whoami", HttpStatusCode.BadGateway, new { });
        using var http = server.CreateClient();

        await Assert.ThrowsAsync<MatrixApiException>(() => new DendriteAdminClient(http).WhoAmIAsync("token", Ct));

        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task A_rate_limited_post_is_retried_because_dendrite_refused_it_before_acting()
    {
        var calls = 0;
        var server = new ScriptedHomeserver().On(HttpMethod.Post, "/_matrix/client/v3/login", _ => ++calls == 1
            ? (HttpStatusCode.TooManyRequests, (object)new { errcode = "M_LIMIT_EXCEEDED", error = "slow down", retry_after_ms = 20 })
            : (HttpStatusCode.OK, new { user_id = "@alice:family.example", access_token = "t", device_id = "D" }));
        using var http = server.CreateClient();

        await new DendriteAdminClient(http).LoginAsync("alice", "password", Ct);

        Assert.Equal(2, calls);
    }

    [Theory]
    [InlineData("Invite link")]
    [InlineData("Family admin page")]
    public async Task A_sign_in_names_its_device_for_what_it_is(string deviceName)
    {
        var server = new ScriptedHomeserver().WithLogin("@alice:family.example", "password");
        using var http = server.CreateClient();

        await new DendriteAdminClient(http).LoginAsync("alice", "password", deviceName, Ct);

        Assert.Equal(deviceName, (string)server.Requests.Single().Json["initial_device_display_name"]!);
    }

    [Theory]
    [InlineData("GET", HttpStatusCode.ServiceUnavailable, true)]
    [InlineData("GET", HttpStatusCode.TooManyRequests, true)]
    [InlineData("POST", HttpStatusCode.TooManyRequests, true)]
    [InlineData("POST", HttpStatusCode.GatewayTimeout, false)]
    [InlineData("PUT", HttpStatusCode.BadGateway, false)]
    [InlineData("GET", HttpStatusCode.InternalServerError, false)]
    public void Only_safe_requests_or_refusals_before_acting_are_retryable(string method, HttpStatusCode status, bool retryable) =>
        Assert.Equal(retryable, DendriteAdminClient.IsRetryable(new HttpMethod(method), status));
}
