using Aspire.Hosting;
using Aspire.Hosting.Publishing;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DendriteAspire.AppHost.Tests;

/// <summary>Runs a publish step of the real AppHost in-process and reports whether the pipeline succeeded.</summary>
internal static class Publishing
{
    public const string RegistrationSecret = "publish-test-registration-secret";
    public const string PostgresPassword = "publish:test/pass word";
    public const string InviteSecret = "publish-test-invite-secret";
    public const string AdminPassword = "publish-test-admin-password";
    public const string MetricsPassword = "publish-test-metrics-password";
    public const string RoomOwnerPassword = "publish-test-room-owner-password";

    /// <summary>A server name a cluster accepts; publishing refuses the local run's <c>localhost</c>.</summary>
    public const string ServerName = "family.example";

    public static async Task<(bool Succeeded, string Directory)> RunAsync(string step, string output, params string[] args)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [
                "--operation", "publish", "--step", step, "--output-path", output,
                "--Pipeline:ClearCache", "true",
                .. args,
            ],
            TestContext.Current.CancellationToken);
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(2));

        var succeeded = false;
        builder.Eventing.Subscribe<AfterPublishEvent>((_, _) =>
        {
            succeeded = true;
            return Task.CompletedTask;
        });

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        await using var app = await builder.BuildAsync(timeout.Token);
        await app.RunAsync(timeout.Token);
        return (succeeded, output);
    }

    public static Task<(bool Succeeded, string Directory)> KubernetesAsync(string output, params string[] args) =>
        RunAsync("publish", output,
        [
            $"--Dendrite:ServerName={ServerName}",
            $"--Parameters:dendrite-registration-secret={RegistrationSecret}",
            $"--Parameters:postgres-password={PostgresPassword}",
            $"--Parameters:onboarding-invite-secret={InviteSecret}",
            $"--Parameters:dendrite-admin-password={AdminPassword}",
            $"--Parameters:dendrite-metrics-password={MetricsPassword}",
            $"--Parameters:onboarding-room-owner-password={RoomOwnerPassword}",
            .. args,
        ]);

    /// <summary>A new output directory, removed with the others when the test run ends.</summary>
    public static string NewOutputDirectory() => ScratchDirectories.New("publish-");
}
