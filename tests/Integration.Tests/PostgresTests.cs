using Aspire.Hosting.Testing;
using Npgsql;

namespace DendriteAspire.Integration.Tests;

/// <summary>Cases 1–4 with <c>Dendrite:Database:Provider=Postgres</c>, and proof that the accounts are stored in Postgres.</summary>
[Trait("Category", "Live")]
[Collection(PostgresStackDefinition.Name)]
public class PostgresTests(PostgresAppFixture stack)
{
    [Fact]
    public async Task Dendrite_BecomesHealthy_AndServesClientVersions() =>
        await HealthTests.AssertHealthyAsync(await stack.GetAppAsync(), TestContext.Current.CancellationToken);

    [Fact]
    public async Task SharedSecretRegistration_CreatesAnAdminAndANormalUser() =>
        await RegistrationTests.AssertSharedSecretRegistrationAsync(await stack.GetAppAsync(), TestContext.Current.CancellationToken);

    [Fact]
    public async Task PasswordLogin_ReturnsTheUsersIds_AndAWrongPasswordIsForbidden() =>
        await RegistrationTests.AssertPasswordLoginAsync(await stack.GetAppAsync(), TestContext.Current.CancellationToken);

    [Fact]
    public async Task PrivateRoom_MessagesArriveThroughSync_WithTheSameBodyAndEventId() =>
        await ConversationTests.AssertConversationAsync(await stack.GetAppAsync(), TestContext.Current.CancellationToken);

    [Fact]
    public async Task RegisteredUsers_AreRowsInThePostgresDendriteDatabase()
    {
        var app = await stack.GetAppAsync();
        var ct = TestContext.Current.CancellationToken;
        var admin = await Conversation.RegisterAsync(app, "pgadmin", admin: true, ct);
        var user = await Conversation.RegisterAsync(app, "pguser", admin: false, ct);

        var connectionString = await app.App.GetConnectionStringAsync("dendrite-db", ct);
        Assert.False(string.IsNullOrEmpty(connectionString), "dendrite-db has no connection string");
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        Assert.Equal("dendrite", connection.Database);
        await using var query = new NpgsqlCommand(
            "SELECT localpart FROM userapi_accounts WHERE localpart = ANY(@localparts) ORDER BY localpart", connection);
        query.Parameters.AddWithValue("localparts", new[] { admin.Localpart, user.Localpart });
        var stored = new List<string>();
        await using (var reader = await query.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                stored.Add(reader.GetString(0));
            }
        }

        Assert.Equal(new[] { admin.Localpart, user.Localpart }.Order(StringComparer.Ordinal), stored);
    }
}
