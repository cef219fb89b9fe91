using System.Net;
using Aspire.Hosting.ApplicationModel;

namespace DendriteAspire.Integration.Tests;

/// <summary>Case 7: federation is off by default, so 8448 is not published and the federation routes are not served.</summary>
[Trait("Category", "Live")]
[Collection(SqliteStackDefinition.Name)]
public class FederationTests(SqliteAppFixture stack)
{
    [Fact]
    public async Task FederationOff_NothingOn8448_AndNoFederationRoutesOn8008()
    {
        var app = await stack.GetAppAsync();
        var ct = TestContext.Current.CancellationToken;

        var dendrite = app.Model.Resources.Single(r => r.Name == "dendrite");
        var endpoints = dendrite.Annotations.OfType<EndpointAnnotation>().ToList();
        Assert.Contains(endpoints, e => e.Name == "http" && e.TargetPort == 8008);
        Assert.DoesNotContain(endpoints, e => e.TargetPort == 8448 || e.Port == 8448);

        var version = await app.Matrix.GetAsync("/_matrix/federation/v1/version", null, ct);
        Assert.Equal(HttpStatusCode.NotFound, version.Status);
        var keys = await app.Matrix.GetAsync("/_matrix/key/v2/server", null, ct);
        Assert.Equal(HttpStatusCode.NotFound, keys.Status);
    }
}
