using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DendriteAspire.AppHost.Tests;

/// <summary>Builds the real AppHost's model through the testing builder, without starting anything.</summary>
internal sealed class AppModel : IAsyncDisposable
{
    public const string Secret = "model-test-registration-secret";
    public const string InviteSecret = "model-test-invite-secret";
    public const string AdminPassword = "model-test-admin-password";
    public const string MetricsPassword = "model-test-metrics-password";

    private AppModel(DistributedApplication app) => App = app;

    public DistributedApplication App { get; }

    public DistributedApplicationModel Model => App.Services.GetRequiredService<DistributedApplicationModel>();

    public static async Task<AppModel> BuildAsync(params string[] args)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [
                $"--Parameters:{"dendrite-registration-secret"}={Secret}",
                $"--Parameters:{"onboarding-invite-secret"}={InviteSecret}",
                $"--Parameters:{"dendrite-admin-password"}={AdminPassword}",
                $"--Parameters:{"dendrite-metrics-password"}={MetricsPassword}",
                .. args,
            ],
            TestContext.Current.CancellationToken);

        // Nothing is started, so nothing needs the default 30 s to stop; a rare race in disposing a built,
        // never-started app otherwise waits for the whole timeout.
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(2));
        return new AppModel(await builder.BuildAsync(TestContext.Current.CancellationToken));
    }

    public T Resource<T>(string name) where T : IResource =>
        Assert.IsType<T>(Model.Resources.Single(r => r.Name == name), exactMatch: false);

    public ValueTask DisposeAsync() => App.DisposeAsync();
}
