using System.Net;

namespace DendriteAspire.Onboarding.Tests;

/// <summary>
/// Who the service thinks the client is, through the real Kestrel pipeline in its own process with the settings a
/// published pod gets: <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c> (which alone would trust anyone) and the Ingress
/// controller's network as the only trusted proxy (127.0.0.2 here). Real connections come from different loopback
/// addresses; the join limit is 3 a minute, counted on a malformed link (404, no Dendrite call).
/// </summary>
public sealed class ProxyTrustTests : IAsyncLifetime
{
    private const string TrustedProxy = "127.0.0.2";
    private OnboardingProcess _service = null!;

    public async ValueTask InitializeAsync() =>
        _service = await OnboardingProcess.StartAsync(new Dictionary<string, string>
        {
            ["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true",
            ["Onboarding__TrustedProxies__0"] = TrustedProxy + "/32",
            ["Onboarding__JoinAttemptsPerMinute"] = "3",
        }, TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => _service.DisposeAsync();

    private static async Task<HttpStatusCode> JoinAsync(HttpClient client, string? forwardedFor = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/join/not-a-link");
        if (forwardedFor is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        }

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    private static async Task<List<HttpStatusCode>> JoinManyAsync(HttpClient client, int count, Func<int, string?> forwardedFor)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            statuses.Add(await JoinAsync(client, forwardedFor(i)));
        }

        return statuses;
    }

    [Fact]
    public async Task Two_relatives_behind_the_trusted_proxy_get_separate_limits()
    {
        using var proxy = _service.ClientFrom(TrustedProxy);

        var first = await JoinManyAsync(proxy, 4, _ => "203.0.113.10");
        var second = await JoinManyAsync(proxy, 3, _ => "203.0.113.20");

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests], first);
        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound], second);
    }

    [Fact]
    public async Task A_spoofed_forwarded_for_from_an_untrusted_address_changes_nothing()
    {
        using var stranger = _service.ClientFrom("127.0.0.3");

        // A fresh made-up address on every request: were it believed, each would get a fresh limit.
        var statuses = await JoinManyAsync(stranger, 5, i => $"198.51.100.{i + 1}");

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.DoesNotContain("198.51.100.", _service.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Through_the_proxy_only_the_address_the_proxy_saw_counts_not_what_the_client_prepended()
    {
        using var proxy = _service.ClientFrom(TrustedProxy);

        // The proxy appends the address it saw (192.0.2.50) to whatever the stranger sent.
        var statuses = await JoinManyAsync(proxy, 5, i => $"198.51.100.{i + 100}, 192.0.2.50");

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task A_noisy_stranger_does_not_use_up_a_relatives_limit()
    {
        using var proxy = _service.ClientFrom(TrustedProxy);
        using var directStranger = _service.ClientFrom("127.0.0.4");
        using var directRelative = _service.ClientFrom("127.0.0.5");

        var noisy = await JoinManyAsync(proxy, 20, _ => "192.0.2.66");
        var relativeBehindProxy = await JoinAsync(proxy, "192.0.2.77");
        var noisyDirect = await JoinManyAsync(directStranger, 20, _ => null);
        var relativeDirect = await JoinAsync(directRelative);

        Assert.Equal(17, noisy.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(HttpStatusCode.NotFound, relativeBehindProxy);
        Assert.Equal(17, noisyDirect.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(HttpStatusCode.NotFound, relativeDirect);
    }
}

/// <summary>Without <c>Onboarding:TrustedProxies</c> (the local run) no address may speak for another.</summary>
public sealed class NoProxyTrustTests
{
    [Fact]
    public async Task Without_trusted_proxies_forwarded_headers_are_ignored_even_with_the_aspnetcore_switch_on()
    {
        await using var service = await OnboardingProcess.StartAsync(new Dictionary<string, string>
        {
            ["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true",
            ["Onboarding__JoinAttemptsPerMinute"] = "2",
        }, TestContext.Current.CancellationToken);
        using var client = service.ClientFrom("127.0.0.6");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/join/not-a-link");
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", $"203.0.113.{i + 1}");
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task A_trusted_proxy_that_is_not_a_network_stops_the_start_with_exit_2_naming_the_key()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => OnboardingProcess.StartAsync(new Dictionary<string, string>
        {
            ["Onboarding__TrustedProxies__0"] = "the ingress",
        }, TestContext.Current.CancellationToken));

        Assert.Contains("exited with 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("Onboarding:TrustedProxies:0: 'the ingress' is not a network", error.Message, StringComparison.Ordinal);
    }
}
