using System.Net;
using DendriteAspire.Admin.Accounts;
using DendriteAspire.Admin.Matrix;

namespace DendriteAspire.Admin.Tests;

/// <summary>The operations a family admin runs, against Dendrite's HTTP surface replaced at the HttpClient boundary.</summary>
public class FamilyAccountsTests
{
    private const string Secret = "s3cret";
    private const string Server = "family.example";
    private const string AdminPassword = "admin-password-1";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static FamilyAccounts Accounts(HttpClient http, string? serverName = null) => new(new DendriteAdminClient(http), new FamilyAccountsOptions
    {
        SharedSecret = Secret,
        Admin = new AdminCredentials(UserName.Parse("admin"), AdminPassword),
        ServerName = serverName,
    });

    [Fact]
    public async Task CreateAccount_GeneratesAStrongPassword_SetsTheDisplayName_AndSignsTheNewSessionOut()
    {
        var server = new ScriptedHomeserver().WithSharedSecretRegistration(Secret, Server)
            .On(HttpMethod.Put, "/_matrix/client/v3/profile/", HttpStatusCode.OK, new { });
        using var http = server.CreateClient();
        await using var accounts = Accounts(http);

        var created = await accounts.CreateAccountAsync(new NewAccount(UserName.Parse("alice"), "Alice Smith"), Ct);

        Assert.Equal("@alice:family.example", created.UserId);
        Assert.True(created.PasswordWasGenerated);
        Assert.True(created.Password.Length >= 20, created.Password);
        Assert.True(created.IsComplete);
        Assert.False(created.IsAdmin);
        Assert.Equal(created.Password, (string)server.To("/_synapse/admin/v1/register").Last().Json["password"]!);
        var displayName = Assert.Single(server.To("/_matrix/client/v3/profile/"));
        Assert.Equal("/_matrix/client/v3/profile/%40alice%3Afamily.example/displayname", displayName.PathAndQuery);
        Assert.Equal("Alice Smith", (string)displayName.Json["displayname"]!);
        Assert.Equal("token-of-alice", displayName.BearerToken);
        Assert.Equal("token-of-alice", Assert.Single(server.To("/_matrix/client/v3/logout")).BearerToken);
        Assert.DoesNotContain(created.Password, created.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GeneratedPasswords_AreDifferentEachTime()
    {
        var passwords = Enumerable.Range(0, 50).Select(_ => AccountPassword.Generate()).ToHashSet();
        Assert.Equal(50, passwords.Count);
        Assert.All(passwords, p => Assert.Equal(AccountPassword.GeneratedLength, p.Length));
        Assert.True(AccountPassword.GeneratedLength >= 20);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task AnExistingName_IsAlreadyExists_WithItsErrcode()
    {
        var server = new ScriptedHomeserver().WithSharedSecretRegistration(Secret, Server, "alice");
        using var http = server.CreateClient();
        await using var accounts = Accounts(http);

        var error = await Assert.ThrowsAsync<MatrixApiException>(() => accounts.CreateAccountAsync(new NewAccount(UserName.Parse("alice")), Ct));

        Assert.Equal("alice already exists", error.Message);
        Assert.Equal("M_USER_IN_USE", error.ErrorCode);
    }

    [Fact]
    public async Task WhenOnlyTheDisplayNameFails_TheAccountIsReturned_AndTheResultSaysSo()
    {
        var server = new ScriptedHomeserver().WithSharedSecretRegistration(Secret, Server)
            .On(HttpMethod.Put, "/_matrix/client/v3/profile/", HttpStatusCode.InternalServerError, ScriptedHomeserver.Error("M_UNKNOWN", "database is locked"));
        using var http = server.CreateClient();
        await using var accounts = Accounts(http);

        var created = await accounts.CreateAccountAsync(new NewAccount(UserName.Parse("bob"), "Bob", Password: "bobs-password"), Ct);

        Assert.Equal("@bob:family.example", created.UserId);
        Assert.Equal("bobs-password", created.Password);
        Assert.False(created.PasswordWasGenerated);
        Assert.False(created.IsComplete);
        Assert.Contains("database is locked", created.DisplayNameProblem, StringComparison.Ordinal);
        Assert.Contains("M_UNKNOWN", created.DisplayNameProblem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadPassword_OrAnIdTooLongForTheServer_IsRefusedBeforeAnyCall()
    {
        var server = new ScriptedHomeserver().WithSharedSecretRegistration(Secret, Server);
        using var http = server.CreateClient();
        await using var accounts = Accounts(http, serverName: new string('s', 240));

        var shortPassword = await Assert.ThrowsAsync<ArgumentException>(() =>
            accounts.CreateAccountAsync(new NewAccount(UserName.Parse("al"), Password: "short"), Ct));
        var tooLong = await Assert.ThrowsAsync<InvalidUserNameException>(() =>
            accounts.CreateAccountAsync(new NewAccount(UserName.Parse(new string('a', 20))), Ct));

        Assert.Contains("at least 8", shortPassword.Message, StringComparison.Ordinal);
        Assert.Equal(UserNameRule.MaxLength, tooLong.Rule);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task ResetPassword_SignsInAsTheAdmin_AndLogsTheUsersDevicesOut()
    {
        var server = new ScriptedHomeserver().WithLogin("@admin:family.example", AdminPassword)
            .On(HttpMethod.Post, "/_dendrite/admin/resetPassword/", HttpStatusCode.OK, new { password_updated = true });
        using var http = server.CreateClient();
        await using var accounts = Accounts(http);

        var reset = await accounts.ResetPasswordAsync(UserName.Parse("alice"), cancellationToken: Ct);

        Assert.Equal("@alice:family.example", reset.UserId);
        Assert.True(reset.PasswordWasGenerated);
        var request = Assert.Single(server.To("/_dendrite/admin/resetPassword/"));
        Assert.Equal("admin-token-1", request.BearerToken);
        Assert.Equal(reset.Password, (string)request.Json["password"]!);
        Assert.True((bool)request.Json["logout_devices"]!);
    }

    [Fact]
    public async Task AnExpiredAdminToken_IsRenewedBySigningInAgain_Once()
    {
        var server = new ScriptedHomeserver().WithLogin("@admin:family.example", AdminPassword)
            .On(HttpMethod.Post, "/_dendrite/admin/resetPassword/", request => request.BearerToken == "admin-token-1"
                ? (HttpStatusCode.Unauthorized, ScriptedHomeserver.Error("M_UNKNOWN_TOKEN", "Unknown token"))
                : (HttpStatusCode.OK, new { password_updated = true }));
        using var http = server.CreateClient();
        await using var accounts = Accounts(http);

        await accounts.ResetPasswordAsync(UserName.Parse("alice"), "new-password-1", Ct);

        Assert.Equal(2, server.To("/_matrix/client/v3/login").Count());
        Assert.Equal(["admin-token-1", "admin-token-2"], server.To("/_dendrite/admin/resetPassword/").Select(r => r.BearerToken));
    }

    [Fact]
    public async Task AWrongAdminPassword_SaysTheAdminPasswordWasRefused()
    {
        var server = new ScriptedHomeserver().WithLogin("@admin:family.example", "another-password");
        using var http = server.CreateClient();
        await using var accounts = Accounts(http);

        var error = await Assert.ThrowsAsync<MatrixApiException>(() => accounts.WhoAmIAsync(Ct));

        Assert.Equal("M_FORBIDDEN", error.ErrorCode);
        Assert.Contains("admin password was refused", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(AdminPassword, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemoveAccess_ReplacesThePassword_EndsSessions_ThenLeavesEveryRoom()
    {
        var server = new ScriptedHomeserver().WithLogin("@admin:family.example", AdminPassword)
            .On(HttpMethod.Post, "/_dendrite/admin/resetPassword/", HttpStatusCode.OK, new { password_updated = true })
            .On(HttpMethod.Post, "/_dendrite/admin/evacuateUser/", HttpStatusCode.OK, new { affected = new List<string> { "!room:family.example" } });
        using var http = server.CreateClient();
        await using var accounts = Accounts(http);

        var removed = await accounts.RemoveAccessAsync(UserName.Parse("alice"), Ct);

        Assert.True(removed.IsComplete);
        Assert.Equal(["!room:family.example"], removed.RoomsLeft);
        var calls = server.Requests.Where(r => r.PathAndQuery.StartsWith("/_dendrite/", StringComparison.Ordinal)).ToList();
        Assert.Equal(["/_dendrite/admin/resetPassword/%40alice%3Afamily.example", "/_dendrite/admin/evacuateUser/%40alice%3Afamily.example"],
            calls.Select(c => c.PathAndQuery));
        Assert.True((bool)calls[0].Json["logout_devices"]!);
        Assert.True(((string)calls[0].Json["password"]!).Length >= 40);
    }

    [Fact]
    public async Task RemoveAccess_WhenLeavingRoomsFails_SaysTheUserIsLockedOutButNotOutOfRooms()
    {
        var server = new ScriptedHomeserver().WithLogin("@admin:family.example", AdminPassword)
            .On(HttpMethod.Post, "/_dendrite/admin/resetPassword/", HttpStatusCode.OK, new { password_updated = true })
            .On(HttpMethod.Post, "/_dendrite/admin/evacuateUser/", HttpStatusCode.BadRequest, ScriptedHomeserver.Error("M_UNKNOWN", "roomserver unavailable"));
        using var http = server.CreateClient();
        await using var accounts = Accounts(http);

        var removed = await accounts.RemoveAccessAsync(UserName.Parse("alice"), Ct);

        Assert.False(removed.IsComplete);
        Assert.Contains("roomserver unavailable", removed.RoomsProblem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemoveAccess_RefusesToLockOutTheAdminItSignsInAs()
    {
        var server = new ScriptedHomeserver().WithLogin("@admin:family.example", AdminPassword);
        using var http = server.CreateClient();
        await using var accounts = Accounts(http);

        await Assert.ThrowsAsync<ProtectedAccountException>(() => accounts.RemoveAccessAsync(UserName.Parse("admin"), Ct));

        Assert.Empty(server.To("/_dendrite/admin/"));
    }

    [Fact]
    public async Task EnsureAdmin_LeavesAnExistingAccountAlone()
    {
        var server = new ScriptedHomeserver().WithSharedSecretRegistration(Secret, Server)
            .WithLogin("@admin:family.example", AdminPassword)
            .On(HttpMethod.Get, "/_matrix/client/v3/register/available", HttpStatusCode.BadRequest, ScriptedHomeserver.Error("M_USER_IN_USE", "taken"))
            .On(HttpMethod.Get, "/_matrix/client/v3/account/whoami", HttpStatusCode.OK, new { user_id = "@admin:family.example" })
            .On(HttpMethod.Get, "/_dendrite/admin/registrationTokens", HttpStatusCode.OK, new { registration_tokens = Array.Empty<object>() });
        using var http = server.CreateClient();
        await using var accounts = Accounts(http);

        var result = await accounts.EnsureAdminAccountAsync(Ct);

        Assert.False(result.Created);
        Assert.Equal(new AdminIdentity("@admin:family.example", true), result.Identity);
        Assert.Empty(server.To("/_synapse/"));
        Assert.Empty(server.To("/_dendrite/admin/resetPassword"));
    }

    [Fact]
    public async Task EnsureAdmin_CreatesAMissingAdmin_WithTheConfiguredPassword()
    {
        var server = new ScriptedHomeserver().WithSharedSecretRegistration(Secret, Server)
            .WithLogin("@admin:family.example", AdminPassword)
            .On(HttpMethod.Get, "/_matrix/client/v3/register/available", HttpStatusCode.OK, new { available = true })
            .On(HttpMethod.Get, "/_matrix/client/v3/account/whoami", HttpStatusCode.OK, new { user_id = "@admin:family.example" })
            .On(HttpMethod.Get, "/_dendrite/admin/registrationTokens", HttpStatusCode.OK, new { registration_tokens = Array.Empty<object>() });
        using var http = server.CreateClient();
        await using var accounts = Accounts(http);

        var result = await accounts.EnsureAdminAccountAsync(Ct);

        Assert.True(result.Created);
        var registration = server.To("/_synapse/admin/v1/register").Single(r => r.Method == HttpMethod.Post).Json;
        Assert.Equal(AdminPassword, (string)registration["password"]!);
        Assert.True((bool)registration["admin"]!);
        Assert.True(result.Identity!.IsAdmin);
    }

    [Fact]
    public async Task EnsureAdmin_ReportsCredentialsThatDoNotSignIn_WithoutThrowing()
    {
        var server = new ScriptedHomeserver().WithLogin("@admin:family.example", "changed-by-hand")
            .On(HttpMethod.Get, "/_matrix/client/v3/register/available", HttpStatusCode.BadRequest, ScriptedHomeserver.Error("M_USER_IN_USE", "taken"));
        using var http = server.CreateClient();
        await using var accounts = Accounts(http);

        var result = await accounts.EnsureAdminAccountAsync(Ct);

        Assert.False(result.Created);
        Assert.Null(result.Identity);
        Assert.Contains("admin password was refused", result.SignInProblem, StringComparison.Ordinal);
    }
}
