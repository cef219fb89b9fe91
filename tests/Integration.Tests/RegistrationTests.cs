using System.Net;
using System.Text.Json.Nodes;

namespace DendriteAspire.Integration.Tests;

/// <summary>Cases 2, 3 and 6: accounts only through the shared secret, password login, and closed registration.</summary>
[Trait("Category", "Live")]
[Collection(SqliteStackDefinition.Name)]
public class RegistrationTests(SqliteAppFixture stack)
{
    [Fact]
    public async Task SharedSecretRegistration_CreatesAnAdminAndANormalUser() =>
        await AssertSharedSecretRegistrationAsync(await stack.GetAppAsync(), TestContext.Current.CancellationToken);

    [Fact]
    public async Task PasswordLogin_ReturnsTheUsersIds_AndAWrongPasswordIsForbidden() =>
        await AssertPasswordLoginAsync(await stack.GetAppAsync(), TestContext.Current.CancellationToken);

    [Fact]
    public async Task AnonymousRegistration_IsRefused()
    {
        var app = await stack.GetAppAsync();
        var ct = TestContext.Current.CancellationToken;
        var localpart = SharedSecretRegistration.NewLocalpart("anonymous");
        var body = new JsonObject
        {
            ["username"] = localpart,
            ["password"] = "a-long-enough-password",
            ["auth"] = new JsonObject { ["type"] = "m.login.dummy" },
        };

        var response = await app.Matrix.SendAsync(HttpMethod.Post, "/_matrix/client/v3/register", body, null, ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Equal("M_FORBIDDEN", response.ErrorCode);
        Assert.False(response.Body.TryGetProperty("access_token", out _), $"registration answered with a token: {response.Body}");
        var login = await app.Matrix.LoginAsync(localpart, "a-long-enough-password", ct);
        Assert.Equal(HttpStatusCode.Forbidden, login.Status);
    }

    [Fact]
    public async Task SharedSecretRegistration_WithAWrongSecret_IsForbidden()
    {
        var app = await stack.GetAppAsync();
        var ct = TestContext.Current.CancellationToken;
        var response = await SharedSecretRegistration.RegisterAsync(
            app.Matrix, "not-the-secret", SharedSecretRegistration.NewLocalpart("mallory"), "a-long-enough-password", true, ct);
        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
    }

    internal static async Task AssertSharedSecretRegistrationAsync(DendriteApp app, CancellationToken ct)
    {
        var admin = await Conversation.RegisterAsync(app, "admin", admin: true, ct);
        var user = await Conversation.RegisterAsync(app, "user", admin: false, ct);
        Assert.NotEqual(admin.Session.UserId, user.Session.UserId);
        await Conversation.AssertAdminAsync(app.Matrix, admin.Session, expectedAdmin: true, ct);
        await Conversation.AssertAdminAsync(app.Matrix, user.Session, expectedAdmin: false, ct);
    }

    internal static async Task AssertPasswordLoginAsync(DendriteApp app, CancellationToken ct)
    {
        var admin = await Conversation.RegisterAsync(app, "admin", admin: true, ct);
        var user = await Conversation.RegisterAsync(app, "user", admin: false, ct);
        foreach (var registered in new[] { admin, user })
        {
            var session = await app.Matrix.LoginOrThrowAsync(registered.Localpart, registered.Password, ct);
            Assert.Equal(registered.Session.UserId, session.UserId);
            Assert.Equal(registered.Session.UserId, await app.Matrix.WhoAmIAsync(session, ct));
        }

        var wrong = await app.Matrix.LoginAsync(user.Localpart, user.Password + "-wrong", ct);
        Assert.Equal(HttpStatusCode.Forbidden, wrong.Status);
        Assert.Equal("M_FORBIDDEN", wrong.ErrorCode);
    }
}
