using System.Net;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DendriteAspire.Integration.Tests;

/// <summary>
/// The dashboard's resource list, read through the same resource snapshots the dashboard renders
/// (<see cref="ResourceNotificationService"/>): <c>dendrite</c> running and healthy with its two links, the key step
/// finished with exit code 0.
/// </summary>
[Trait("Category", "Live")]
[Collection(SqliteStackDefinition.Name)]
public class DashboardTests(SqliteAppFixture stack)
{
    private static readonly string[] CompletedStates = [KnownResourceStates.Exited, KnownResourceStates.Finished];

    [Fact]
    public async Task ResourceList_ShowsDendriteHealthy_WithTheHomeserverAndWellKnownUrls_AndTheKeyStepFinished()
    {
        var app = await stack.GetAppAsync();
        var ct = TestContext.Current.CancellationToken;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));

        // Health and URLs arrive in separate snapshot updates; wait for the one the dashboard settles on.
        var dendrite = (await app.App.ResourceNotifications.WaitForResourceAsync("dendrite",
            e => e.Snapshot.HealthStatus == HealthStatus.Healthy && e.Snapshot.Urls.Length >= 2, timeout.Token)).Snapshot;

        Assert.Equal(KnownResourceStates.Running, dendrite.State?.Text);
        var baseUrl = app.Matrix.Http.BaseAddress!.ToString().TrimEnd('/');
        var homeserver = Assert.Single(dendrite.Urls, u => u.DisplayProperties.DisplayName == "Homeserver");
        Assert.Equal("http", homeserver.Name);
        Assert.Equal(baseUrl, homeserver.Url.TrimEnd('/'));
        Assert.False(homeserver.IsInternal);
        var wellKnown = Assert.Single(dendrite.Urls, u => u.DisplayProperties.DisplayName == "Client well-known");
        Assert.Equal(baseUrl + "/.well-known/matrix/client", wellKnown.Url);
        using (var response = await app.Matrix.Http.GetAsync(new Uri(wellKnown.Url), ct))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.True(app.App.ResourceNotifications.TryGetCurrentState("dendrite-keygen", out var keygen), "dendrite-keygen is not in the resource list");
        Assert.Contains(keygen.Snapshot.State?.Text, CompletedStates);
        Assert.Equal(0, keygen.Snapshot.ExitCode);
    }
}
