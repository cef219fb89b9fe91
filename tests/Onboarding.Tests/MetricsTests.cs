using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace DendriteAspire.Onboarding.Tests;

/// <summary>
/// The service's own counters (meter <c>DendriteAspire.Onboarding</c>), moved by real requests through the whole
/// pipeline (TestServer, and Kestrel for the Prometheus port), and the Prometheus endpoint on its own port only.
/// The exporter listens to the meter by name in the whole process, so these run alone: another test's invite would
/// otherwise count in this one's scrape.
/// </summary>
[Collection(Name)]
public sealed class MetricsTests
{
    public const string Name = "Onboarding metrics, alone in the process";

    private const string Password = "a long family password";

    /// <summary>Listens to this factory's meter only (each host has its own IMeterFactory).</summary>
    private sealed class Recorder : IDisposable
    {
        private readonly MeterListener _listener = new();

        public Recorder(OnboardingFactory factory)
        {
            var meters = factory.Services.GetRequiredService<IMeterFactory>();
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == OnboardingMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meters))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                var tag = tags.Length == 0 ? "" : $"{tags[0].Key}={tags[0].Value}";
                Counts.AddOrUpdate($"{instrument.Name}{(tag.Length > 0 ? "{" + tag + "}" : "")}", value, (_, old) => old + value);
            });
            _listener.Start();
        }

        public ConcurrentDictionary<string, long> Counts { get; } = new(StringComparer.Ordinal);

        public long this[string key] => Counts.GetValueOrDefault(key);

        public void Dispose() => _listener.Dispose();
    }

    [Fact]
    public async Task Invites_joins_and_refused_links_move_their_counters()
    {
        await using var factory = new OnboardingFactory();
        var client = factory.CreateClient();
        using var recorder = new Recorder(factory);

        var link = await factory.CreateLinkAsync("grandma", "Grandma");
        Assert.Equal(1, recorder["onboarding.invites.created"]);

        var (_, form) = await Pages.GetAsync(client, link);
        var (status, _) = await Pages.PostFormAsync(client, link, form, ("password", Password), ("confirm", Password));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, recorder["onboarding.joins"]);

        using (var used = await client.GetAsync(new Uri(link), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.Gone, used.StatusCode);
        }

        using (var tampered = await client.GetAsync(new Uri(link[..^2] + (link[^2] == 'A' ? "BB" : "AA")), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.NotFound, tampered.StatusCode);
        }

        Assert.Equal(1, recorder["onboarding.links.refused{reason=used}"]);
        Assert.Equal(1, recorder["onboarding.links.refused{reason=invalid}"] + recorder["onboarding.links.refused{reason=malformed}"]);
        Assert.Equal(1, recorder["onboarding.joins"]);
        Assert.Equal(0, recorder["onboarding.rate_limit.rejections{policy=join}"]);
    }

    [Fact]
    public async Task A_rate_limit_rejection_is_counted_with_its_policy()
    {
        await using var factory = new OnboardingFactory(joinAttemptsPerMinute: 2);
        var client = factory.CreateClient();
        using var recorder = new Recorder(factory);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await client.GetAsync(new Uri("/join/not-a-link", UriKind.Relative), TestContext.Current.CancellationToken);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(2, recorder["onboarding.rate_limit.rejections{policy=join}"]);
        Assert.Equal(2, recorder["onboarding.links.refused{reason=malformed}"]);
    }

    [Fact]
    public async Task Prometheus_reads_the_counters_on_the_metrics_port_and_nowhere_else()
    {
        await using var factory = new OnboardingFactory(prometheusPort: true);
        factory.StartServer();
        await factory.CreateLinkAsync("grandpa");
        using var http = new HttpClient();
        var ct = TestContext.Current.CancellationToken;

        using (var scrape = await http.GetAsync(new Uri($"http://127.0.0.1:{factory.MetricsPort}/metrics"), ct))
        {
            Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
            var text = await scrape.Content.ReadAsStringAsync(ct);
            Assert.Contains("onboarding_invites_created_total", text, StringComparison.Ordinal);
            Assert.Matches(@"(?m)^onboarding_invites_created_total(\{[^}]*\})? 1(\s|$)", text);
        }

        // The public port (the one the Ingress reaches) does not serve the metrics...
        using (var publicMetrics = await http.GetAsync(new Uri($"http://127.0.0.1:{factory.Port}/metrics"), ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, publicMetrics.StatusCode);
        }

        // ...and the metrics port serves nothing but the metrics.
        using (var admin = await http.GetAsync(new Uri($"http://127.0.0.1:{factory.MetricsPort}/admin"), ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, admin.StatusCode);
        }

        using (var health = await http.GetAsync(new Uri($"http://127.0.0.1:{factory.Port}/health"), ct))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
    }
}

/// <summary>Runs <see cref="MetricsTests"/> with no other test of this assembly at the same time.</summary>
[CollectionDefinition(MetricsTests.Name, DisableParallelization = true)]
public sealed class MetricsRunAlone;
