using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Aspire.Hosting.ApplicationModel;

namespace DendriteAspire.Integration.Tests;

/// <summary>
/// Dendrite's own <c>/metrics</c> on the real image, on the shared SQLite stack: on by default, behind basic auth with
/// the user <c>metrics</c> and the generated <c>dendrite-metrics-password</c>. Dendrite v0.15.2 refuses a missing or
/// wrong login with 403 Forbidden (internal/httputil/httpapi.go, WrapHandlerInBasicAuth), not 401; this asserts what
/// Dendrite does.
/// </summary>
[Trait("Category", "Live")]
[Collection(SqliteStackDefinition.Name)]
public class MetricsTests(SqliteAppFixture stack)
{
    /// <summary>
    /// Series the published alerts and dashboard read, by their names in Dendrite v0.15.2's source:
    /// cmd/dendrite/main.go (dendrite_up), syncapi/sync/requestpool.go (the sync gauges, registered when metrics are
    /// on), and client_golang's default process and Go collectors.
    /// </summary>
    public static readonly string[] Series =
    [
        "dendrite_up",
        "dendrite_syncapi_active_sync_requests",
        "dendrite_syncapi_waiting_sync_requests",
        "process_resident_memory_bytes",
        "process_cpu_seconds_total",
        "go_goroutines",
    ];

    [Fact]
    public async Task Metrics_refuse_no_login_and_a_wrong_one_and_serve_the_series_with_the_right_one()
    {
        var app = await stack.GetAppAsync();
        var ct = TestContext.Current.CancellationToken;
        var password = await app.Model.Resources.OfType<ParameterResource>().Single(p => p.Name == "dendrite-metrics-password").GetValueAsync(ct);
        Assert.False(string.IsNullOrEmpty(password));

        using (var anonymous = await app.Matrix.Http.GetAsync(new Uri("/metrics", UriKind.Relative), ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, anonymous.StatusCode);
            Assert.DoesNotContain("dendrite_up", await anonymous.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }

        using (var wrong = await GetMetricsAsync(app, "metrics", password + "x", ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        }

        using (var wrongUser = await GetMetricsAsync(app, "prometheus", password!, ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, wrongUser.StatusCode);
        }

        using var right = await GetMetricsAsync(app, "metrics", password!, ct);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        var text = await right.Content.ReadAsStringAsync(ct);
        var names = text.Split('\n')
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => line.Split('{', ' ')[0])
            .ToHashSet(StringComparer.Ordinal);
        Assert.All(Series, series => Assert.Contains(series, names));
        Assert.Contains("dendrite_up{version=", text, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> GetMetricsAsync(DendriteApp app, string user, string password, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/metrics", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return await app.Matrix.Http.SendAsync(request, ct);
    }
}
