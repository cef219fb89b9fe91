using System.Net;

namespace DendriteAspire.Integration.Tests;

/// <summary>Case 8: the client well-known document carries the configured base URL.</summary>
[Trait("Category", "Live")]
[Collection(SqliteStackDefinition.Name)]
public class WellKnownTests(SqliteAppFixture stack)
{
    [Fact]
    public async Task ClientWellKnown_ReturnsTheConfiguredBaseUrl()
    {
        var app = await stack.GetAppAsync();

        var response = await app.Matrix.GetAsync("/.well-known/matrix/client", null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var baseUrl = response.Body.GetProperty("m.homeserver").GetProperty("base_url").GetString();
        Assert.Equal(SqliteAppFixture.WellKnownClientUrl, baseUrl?.TrimEnd('/'));
    }
}
