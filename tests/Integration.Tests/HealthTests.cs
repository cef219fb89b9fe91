using System.Net;

namespace DendriteAspire.Integration.Tests;

/// <summary>Case 1: the AppHost brings Dendrite up healthy.</summary>
[Trait("Category", "Live")]
[Collection(SqliteStackDefinition.Name)]
public class HealthTests(SqliteAppFixture stack)
{
    [Fact]
    public async Task Dendrite_BecomesHealthy_AndServesClientVersions() =>
        await AssertHealthyAsync(await stack.GetAppAsync(), TestContext.Current.CancellationToken);

    internal static async Task AssertHealthyAsync(DendriteApp app, CancellationToken cancellationToken)
    {
        var versions = await app.Matrix.GetAsync("/_matrix/client/versions", null, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, versions.Status);
        var listed = versions.Body.GetProperty("versions").EnumerateArray().Select(v => v.GetString()).ToList();
        Assert.Contains("v1.1", listed);

        using var health = await app.Matrix.Http.GetAsync(new Uri("/_dendrite/monitor/health", UriKind.Relative), cancellationToken);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
