using System.Net;
using System.Text.Json.Nodes;
using DendriteAspire.Admin.Cli;

namespace DendriteAspire.Integration.Tests;

/// <summary>
/// Issue 10 against the real Dendrite: the bootstrap admin, the dashboard commands (run through the testing API with
/// their inputs supplied), the CLI through its entry point, and the registration-token trap staying closed.
/// </summary>
[Trait("Category", "Live")]
[Collection(SqliteStackDefinition.Name)]
public class FamilyAccountsTests(SqliteAppFixture stack)
{
    private static readonly TimeSpan BootstrapTimeout = TimeSpan.FromMinutes(1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheBootstrapAdmin_ExistsAfterStart_SignsIn_AndIsAnAdmin()
    {
        var app = await stack.GetAppAsync();
        var password = await app.GetParameterValueAsync(FamilyAccountsLive.AdminPasswordParameter, Ct);

        var line = await FamilyAccountsLive.WaitForLogLineAsync(app, "dendrite",
            l => l.Contains("Bootstrap admin @admin:", StringComparison.Ordinal), BootstrapTimeout, Ct);

        Assert.Matches("Bootstrap admin @admin:localhost (created|already exists)", line);
        var session = await app.Matrix.LoginOrThrowAsync(FamilyAccountsLive.AdminUserName, password, Ct);
        Assert.Equal("@admin:localhost", session.UserId);
        await Conversation.AssertAdminAsync(app.Matrix, session, expectedAdmin: true, Ct);
        Assert.DoesNotContain(await FamilyAccountsLive.LogLinesAsync(app, "dendrite", Ct), l => l.Contains(password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task DashboardCommands_AddAMember_ResetTheirPassword_AndRemoveTheirAccess()
    {
        var app = await stack.GetAppAsync();
        await WaitForBootstrapAdminAsync(app);
        var name = SharedSecretRegistration.NewLocalpart("member");

        // Add family member: the dialog shows the user id and a password once; that person signs in.
        var added = await FamilyAccountsLive.RunCommandAsync(app, "add-family-member",
            new Dictionary<string, string> { ["userName"] = name, ["displayName"] = "Family Member", ["admin"] = "false" }, Ct);
        var password = FamilyAccountsLive.PasswordShownBy(added);
        Assert.True(password.Length >= 20);
        Assert.Contains($"@{name}:localhost", added.Data!.Value, StringComparison.Ordinal);
        Assert.DoesNotContain(password, added.Message ?? "", StringComparison.Ordinal);
        var member = await app.Matrix.LoginOrThrowAsync(name, password, Ct);
        Assert.Equal($"@{name}:localhost", member.UserId);
        var profile = await app.Matrix.GetAsync($"/_matrix/client/v3/profile/{Uri.EscapeDataString(member.UserId)}/displayname", null, Ct);
        Assert.Equal("Family Member", profile.EnsureSuccess("display name").GetString("displayname"));
        await Conversation.AssertAdminAsync(app.Matrix, member, expectedAdmin: false, Ct);

        // The same name again: refused with Dendrite's reason.
        var again = await FamilyAccountsLive.RunCommandAsync(app, "add-family-member", new Dictionary<string, string> { ["userName"] = name }, Ct);
        Assert.False(again.Success);
        Assert.Contains($"{name} already exists", again.Message, StringComparison.Ordinal);
        Assert.Contains("M_USER_IN_USE", again.Message, StringComparison.Ordinal);

        // A name that breaks a rule never reaches Dendrite.
        var invalid = await FamilyAccountsLive.RunCommandAsync(app, "add-family-member", new Dictionary<string, string> { ["userName"] = "Not Valid" }, Ct);
        Assert.False(invalid.Success);

        // The member is in a room with someone else.
        var owner = await Conversation.RegisterAsync(app, "owner", admin: false, Ct);
        var roomId = await app.Matrix.CreatePrivateRoomAsync(owner.Session, $"family {Guid.NewGuid():N}", Ct);
        await app.Matrix.InviteAsync(owner.Session, roomId, member.UserId, Ct);
        await app.Matrix.JoinAsync(member, roomId, Ct);
        Assert.Contains(member.UserId, await JoinedMembersAsync(app, owner.Session, roomId));

        // Reset password: the old one fails, the new one works, the old session ended.
        var reset = await FamilyAccountsLive.RunCommandAsync(app, "reset-password", new Dictionary<string, string> { ["userName"] = name }, Ct);
        var newPassword = FamilyAccountsLive.PasswordShownBy(reset);
        Assert.NotEqual(password, newPassword);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Matrix.LoginAsync(name, password, Ct)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Matrix.GetAsync("/_matrix/client/v3/account/whoami", member.AccessToken, Ct)).Status);
        var memberAgain = await app.Matrix.LoginOrThrowAsync(name, newPassword, Ct);

        // Remove access: signed out, cannot sign in, out of the room.
        var removed = await FamilyAccountsLive.RunCommandAsync(app, "remove-access", new Dictionary<string, string> { ["userName"] = name }, Ct);
        Assert.True(removed.Success, removed.Message);
        Assert.Contains($"@{name}:localhost", removed.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Matrix.LoginAsync(name, newPassword, Ct)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Matrix.GetAsync("/_matrix/client/v3/account/whoami", memberAgain.AccessToken, Ct)).Status);
        Assert.DoesNotContain(member.UserId, await JoinedMembersAsync(app, owner.Session, roomId));

        // Resetting a user that does not exist says so.
        var ghost = await FamilyAccountsLive.RunCommandAsync(app, "reset-password",
            new Dictionary<string, string> { ["userName"] = SharedSecretRegistration.NewLocalpart("ghost") }, Ct);
        Assert.False(ghost.Success);
        Assert.Contains("does not exist", ghost.Message, StringComparison.Ordinal);

        // No password reached the log.
        var log = await FamilyAccountsLive.LogLinesAsync(app, "dendrite", Ct);
        Assert.DoesNotContain(log, l => l.Contains(password, StringComparison.Ordinal) || l.Contains(newPassword, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheCli_AddsResetsAndRemoves_AgainstTheLiveHomeserver()
    {
        var app = await stack.GetAppAsync();
        await WaitForBootstrapAdminAsync(app);
        var directory = Directory.CreateTempSubdirectory("dendrite-admin-cli-live-").FullName;
        try
        {
            var secretFile = Path.Combine(directory, "shared-secret");
            var adminFile = Path.Combine(directory, "admin-password");
            await File.WriteAllTextAsync(secretFile, await app.GetParameterValueAsync(DendriteApp.RegistrationSecretParameter, Ct) + "\n", Ct);
            await File.WriteAllTextAsync(adminFile, await app.GetParameterValueAsync(FamilyAccountsLive.AdminPasswordParameter, Ct) + "\n", Ct);
            var homeserver = app.Matrix.Http.BaseAddress!.ToString();
            var name = SharedSecretRegistration.NewLocalpart("cli");
            string[] admin = ["--admin-password-file", adminFile, "--homeserver", homeserver];

            var whoami = await RunCliAsync(["whoami", .. admin]);
            Assert.Equal((ExitCodes.Success, "@admin:localhost"), (whoami.ExitCode, whoami.Stdout.Single()));

            var add = await RunCliAsync("add-user", name, "--display-name", "From The CLI", "--shared-secret-file", secretFile, "--homeserver", homeserver);
            Assert.Equal(ExitCodes.Success, add.ExitCode);
            Assert.Equal($"created @{name}:localhost", add.Stdout[0]);
            var password = add.Stdout[1]["password: ".Length..];
            var session = await app.Matrix.LoginOrThrowAsync(name, password, Ct);

            var duplicate = await RunCliAsync("add-user", name, "--shared-secret-file", secretFile, "--homeserver", homeserver);
            Assert.Equal(ExitCodes.Refused, duplicate.ExitCode);
            Assert.Contains("errcode: M_USER_IN_USE", duplicate.Stderr, StringComparison.Ordinal);

            var reset = await RunCliAsync(["reset-password", name, .. admin]);
            Assert.Equal(ExitCodes.Success, reset.ExitCode);
            var newPassword = reset.Stdout.Single()["password: ".Length..];
            Assert.Equal(HttpStatusCode.Forbidden, (await app.Matrix.LoginAsync(name, password, Ct)).Status);
            await app.Matrix.LoginOrThrowAsync(name, newPassword, Ct);

            var remove = await RunCliAsync(["remove-access", name, .. admin]);
            Assert.Equal((ExitCodes.Success, $"removed @{name}:localhost"), (remove.ExitCode, remove.Stdout.Single()));
            Assert.Equal(HttpStatusCode.Forbidden, (await app.Matrix.LoginAsync(name, newPassword, Ct)).Status);
            Assert.Equal(HttpStatusCode.Unauthorized, (await app.Matrix.GetAsync("/_matrix/client/v3/account/whoami", session.AccessToken, Ct)).Status);

            var reindex = await RunCliAsync(["reindex-search", .. admin]);
            Assert.Equal((ExitCodes.Success, "reindex started"), (reindex.ExitCode, reindex.Stdout.Single()));

            var wrongSecret = Path.Combine(directory, "wrong");
            await File.WriteAllTextAsync(wrongSecret, "not-the-secret", Ct);
            var refused = await RunCliAsync("add-user", SharedSecretRegistration.NewLocalpart("nope"), "--shared-secret-file", wrongSecret, "--homeserver", homeserver);
            Assert.Equal(ExitCodes.Refused, refused.ExitCode);
            Assert.Contains("errcode: M_FORBIDDEN", refused.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>
    /// The trap: Dendrite v0.13.8-v0.15.2 never checks a registration token at <c>/register</c>. With the project's
    /// settings (registration off), registering without credentials is refused whatever the request claims.
    /// </summary>
    [Theory]
    [InlineData("none")]
    [InlineData("m.login.dummy")]
    [InlineData("m.login.registration_token")]
    public async Task Register_WithoutTheSharedSecret_IsRefused_WhateverTheAuth(string auth)
    {
        var app = await stack.GetAppAsync();
        var name = SharedSecretRegistration.NewLocalpart("trap");
        var body = new JsonObject { ["username"] = name, ["password"] = "a-long-enough-password" };
        if (auth != "none")
        {
            body["auth"] = new JsonObject { ["type"] = auth, ["token"] = "guessed-token" };
        }

        var response = await app.Matrix.SendAsync(HttpMethod.Post, "/_matrix/client/v3/register", body, null, Ct);

        Assert.False(response.IsSuccess, $"registration answered {(int)response.Status} {response.Body}");
        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Equal("M_FORBIDDEN", response.ErrorCode);
        Assert.False(response.Body.TryGetProperty("access_token", out _));
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Matrix.LoginAsync(name, "a-long-enough-password", Ct)).Status);
    }

    [Fact]
    public async Task DashboardCommands_RefuseToResetOrRemoveTheBootstrapAdminOrTheRoomOwner_AndTheAdminStillSignsIn()
    {
        var app = await stack.GetAppAsync();
        await WaitForBootstrapAdminAsync(app);
        var password = await app.GetParameterValueAsync(FamilyAccountsLive.AdminPasswordParameter, Ct);

        var reset = await FamilyAccountsLive.RunCommandAsync(app, "reset-password", new Dictionary<string, string> { ["userName"] = FamilyAccountsLive.AdminUserName }, Ct);
        var removed = await FamilyAccountsLive.RunCommandAsync(app, "remove-access", new Dictionary<string, string> { ["userName"] = FamilyAccountsLive.AdminUserName }, Ct);

        Assert.False(reset.Success);
        Assert.Contains("bootstrap admin", reset.Message, StringComparison.Ordinal);
        Assert.False(removed.Success);
        Assert.Contains("bootstrap admin", removed.Message, StringComparison.Ordinal);
        // The family room's owner too: onboarding signs in with its password for every join.
        foreach (var command in new[] { "reset-password", "remove-access" })
        {
            var refused = await FamilyAccountsLive.RunCommandAsync(app, command, new Dictionary<string, string> { ["userName"] = "family-rooms" }, Ct);
            Assert.False(refused.Success);
            Assert.Contains("the service account that owns the Family room", refused.Message, StringComparison.Ordinal);
            Assert.Contains("onboarding-room-owner-password", refused.Message, StringComparison.Ordinal);
        }

        var session = await app.Matrix.LoginOrThrowAsync(FamilyAccountsLive.AdminUserName, password, Ct);
        await Conversation.AssertAdminAsync(app.Matrix, session, expectedAdmin: true, Ct);
    }

    private static async Task WaitForBootstrapAdminAsync(DendriteApp app) =>
        await FamilyAccountsLive.WaitForLogLineAsync(app, "dendrite", l => l.Contains("Bootstrap admin @admin:", StringComparison.Ordinal), BootstrapTimeout, Ct);

    private static async Task<List<string>> JoinedMembersAsync(DendriteApp app, MatrixSession viewer, string roomId)
    {
        var response = await app.Matrix.GetAsync($"/_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/joined_members", viewer.AccessToken, Ct);
        return [.. response.EnsureSuccess("joined_members").Body.GetProperty("joined").EnumerateObject().Select(p => p.Name)];
    }

    private static async Task<(int ExitCode, string[] Stdout, string Stderr)> RunCliAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = await AdminCommandLine.RunAsync(args, stdout, stderr, Ct);
        return (exitCode, stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), stderr.ToString());
    }
}
