using System.Net;
using DendriteAspire.Admin.Matrix;

namespace DendriteAspire.Admin.Tests;

/// <summary>The HTTP requests the client makes and how Dendrite's answers map to results and errors.</summary>
public class DendriteAdminClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Registration_GetsANonce_ThenPostsTheHmacRequest()
    {
        var server = new ScriptedHomeserver().WithSharedSecretRegistration("s3cret", "family.example");
        using var http = server.CreateClient();

        var session = await new DendriteAdminClient(http).RegisterWithSharedSecretAsync("s3cret", "alice", "a-long-password", admin: true, Ct);

        Assert.Equal("@alice:family.example", session.UserId);
        Assert.Equal(["GET", "POST"], server.Requests.Select(r => r.Method.Method));
        var post = server.Requests[1].Json;
        Assert.Equal("nonce1", (string)post["nonce"]!);
        Assert.Equal("alice", (string)post["username"]!);
        Assert.True((bool)post["admin"]!);
        Assert.Equal(SharedSecretMac.Compute("s3cret", "nonce1", "alice", "a-long-password", true), (string)post["mac"]!);
        Assert.Null(server.Requests[1].BearerToken);
    }

    [Fact]
    public async Task AWrongSecret_IsForbidden_WithDendritesErrcodeAndAClearMessage()
    {
        var server = new ScriptedHomeserver().WithSharedSecretRegistration("s3cret", "family.example");
        using var http = server.CreateClient();

        var error = await Assert.ThrowsAsync<MatrixApiException>(() =>
            new DendriteAdminClient(http).RegisterWithSharedSecretAsync("wrong", "alice", "a-long-password", false, Ct));

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Equal("M_FORBIDDEN", error.ErrorCode);
        Assert.Equal("bad mac", error.Reason);
        Assert.Contains("refused the shared secret", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoSharedSecretConfigured_SaysRegistrationIsNotOffered()
    {
        var server = new ScriptedHomeserver();
        using var http = server.CreateClient();

        var error = await Assert.ThrowsAsync<MatrixApiException>(() =>
            new DendriteAdminClient(http).RegisterWithSharedSecretAsync("s3cret", "alice", "a-long-password", false, Ct));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal("M_UNRECOGNIZED", error.ErrorCode);
        Assert.Contains("registration_shared_secret is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResetPassword_PostsToTheFullUserId_WithLogoutDevices()
    {
        var server = new ScriptedHomeserver().On(HttpMethod.Post, "/_dendrite/admin/resetPassword/", HttpStatusCode.OK, new { password_updated = true });
        using var http = server.CreateClient();

        await new DendriteAdminClient(http).ResetPasswordAsync("admin-token", "@alice:family.example", "new-password", logoutDevices: true, Ct);

        var request = Assert.Single(server.Requests);
        Assert.Equal("/_dendrite/admin/resetPassword/%40alice%3Afamily.example", request.PathAndQuery);
        Assert.Equal("admin-token", request.BearerToken);
        Assert.Equal("new-password", (string)request.Json["password"]!);
        Assert.True((bool)request.Json["logout_devices"]!);
    }

    [Fact]
    public async Task ResetPassword_OfAMissingUser_SaysItDoesNotExist_AndKeepsTheErrcode()
    {
        var server = new ScriptedHomeserver().On(HttpMethod.Post, "/_dendrite/admin/resetPassword/", HttpStatusCode.NotFound,
            ScriptedHomeserver.Error("M_UNKNOWN", "User does not exist"));
        using var http = server.CreateClient();

        var error = await Assert.ThrowsAsync<MatrixApiException>(() =>
            new DendriteAdminClient(http).ResetPasswordAsync("admin-token", "@ghost:family.example", "new-password", true, Ct));

        Assert.Equal("@ghost:family.example does not exist", error.Message);
        Assert.Equal("M_UNKNOWN", error.ErrorCode);
        Assert.Equal("User does not exist", error.Reason);
    }

    [Fact]
    public async Task IsAdmin_IsTrueOnAnAdminRead_FalseOnForbidden()
    {
        var server = new ScriptedHomeserver()
            .On(HttpMethod.Get, "/_dendrite/admin/registrationTokens", request => request.BearerToken == "admin"
                ? (HttpStatusCode.OK, (object)new { registration_tokens = Array.Empty<object>() })
                : (HttpStatusCode.Forbidden, ScriptedHomeserver.Error("M_FORBIDDEN", "This API can only be used by admin users.")));
        using var http = server.CreateClient();
        var client = new DendriteAdminClient(http);

        Assert.True(await client.IsAdminAsync("admin", Ct));
        Assert.False(await client.IsAdminAsync("someone", Ct));
    }

    [Fact]
    public async Task UserNameAvailability_MapsUserInUseToFalse()
    {
        var server = new ScriptedHomeserver()
            .On(HttpMethod.Get, "/_matrix/client/v3/register/available?username=alice", HttpStatusCode.BadRequest,
                ScriptedHomeserver.Error("M_USER_IN_USE", "Desired user ID is already taken."))
            .On(HttpMethod.Get, "/_matrix/client/v3/register/available?username=bob", HttpStatusCode.OK, new { available = true });
        using var http = server.CreateClient();
        var client = new DendriteAdminClient(http);

        Assert.False(await client.IsUserNameAvailableAsync("alice", Ct));
        Assert.True(await client.IsUserNameAvailableAsync("bob", Ct));
    }

    [Fact]
    public async Task RateLimited_IsRetriedAfterRetryAfterMs()
    {
        var calls = 0;
        var server = new ScriptedHomeserver().On(HttpMethod.Get, "/_matrix/client/v3/account/whoami", _ => ++calls == 1
            ? (HttpStatusCode.TooManyRequests, (object)new { errcode = "M_LIMIT_EXCEEDED", error = "slow down", retry_after_ms = 20 })
            : (HttpStatusCode.OK, new { user_id = "@admin:family.example" }));
        using var http = server.CreateClient();

        Assert.Equal("@admin:family.example", await new DendriteAdminClient(http).WhoAmIAsync("token", Ct));
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task EvacuateUser_ReturnsTheAffectedRooms()
    {
        var server = new ScriptedHomeserver().On(HttpMethod.Post, "/_dendrite/admin/evacuateUser/%40alice%3Afamily.example", HttpStatusCode.OK,
            new { affected = new List<string> { "!a:family.example", "!b:family.example" } });
        using var http = server.CreateClient();

        var rooms = await new DendriteAdminClient(http).EvacuateUserAsync("admin-token", "@alice:family.example", Ct);

        Assert.Equal(["!a:family.example", "!b:family.example"], rooms);
    }

    [Fact]
    public async Task Reindex_IsAGetOnTheFulltextPath()
    {
        var server = new ScriptedHomeserver().On(HttpMethod.Get, "/_dendrite/admin/fulltext/reindex", HttpStatusCode.OK, new { });
        using var http = server.CreateClient();

        await new DendriteAdminClient(http).ReindexSearchAsync("admin-token", Ct);

        Assert.Equal("admin-token", Assert.Single(server.Requests).BearerToken);
    }

    [Fact]
    public async Task ANonJsonRefusal_KeepsTheStatus_AndHasNoErrcode()
    {
        var server = new ScriptedHomeserver().On(HttpMethod.Get, "/_matrix/client/v3/account/whoami", HttpStatusCode.BadGateway, "<html>bad gateway</html>");
        using var http = server.CreateClient();

        var error = await Assert.ThrowsAsync<MatrixApiException>(() => new DendriteAdminClient(http).WhoAmIAsync("token", Ct));

        Assert.Null(error.ErrorCode);
        Assert.Equal("HTTP 502", error.ErrorCodeOrStatus);
        Assert.Contains("bad gateway", error.Reason, StringComparison.Ordinal);
    }
}
