using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DendriteAspire.Onboarding.Tests;

/// <summary>
/// ServiceDefaults' standard resilience handler, as every HttpClient of the service gets it: it retries a failed GET,
/// never a POST, and never a request its caller retries itself (the Admin library's client marks its requests).
/// </summary>
public sealed class ServiceDefaultsRetryTests
{
    private sealed class Counting(Func<int, HttpStatusCode> answer) : HttpMessageHandler
    {
        public int Calls;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(answer(Interlocked.Increment(ref Calls))) { RequestMessage = request });
    }

    private static (HttpClient Client, Counting Handler, IHost Host) Client(Func<int, HttpStatusCode> answer)
    {
        var handler = new Counting(answer);
        var builder = Host.CreateApplicationBuilder();
        builder.AddServiceDefaults();
        builder.Services.AddHttpClient("any", http => http.BaseAddress = new Uri("http://service.test")).ConfigurePrimaryHttpMessageHandler(() => handler);
        var host = builder.Build();
        return (host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("any"), handler, host);
    }

    [Fact]
    public async Task A_failed_post_is_sent_once()
    {
        var (client, handler, host) = Client(_ => HttpStatusCode.ServiceUnavailable);
        using var _ = host;

        using var response = await client.PostAsync("/register", new StringContent("{}"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task A_failed_get_is_retried_unless_its_caller_retries_it_itself()
    {
        var (client, handler, host) = Client(call => call == 1 ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK);
        using var _ = host;

        using var retried = await client.GetAsync("/whoami", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(2, handler.Calls);

        handler.Calls = 0;
        using var marked = new HttpRequestMessage(HttpMethod.Get, "/whoami");
        marked.Options.Set(new HttpRequestOptionsKey<bool>(Extensions.CallerRetriesOption), true);
        using var once = await client.SendAsync(marked, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, once.StatusCode);
        Assert.Equal(1, handler.Calls);
        Assert.Equal(Admin.Matrix.DendriteAdminClient.CallerRetriesOption, Extensions.CallerRetriesOption);
    }
}
