using System.Diagnostics;
using DendriteAspire.Hosting;

namespace DendriteAspire.AppHost.Tests;

/// <summary>The runtime questions asked before start: an answer, "don't know", or a cancelled start, never a hang.</summary>
public class ContainerRuntimeCliTests
{
    [Fact]
    public async Task A_command_that_succeeds_gives_its_output_and_one_that_fails_gives_none()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal("4.3.1\n", await ContainerRuntimeCli.OutputAsync("echo", ["4.3.1"], ct));
        Assert.Null(await ContainerRuntimeCli.OutputAsync("false", [], ct));
        Assert.Null(await ContainerRuntimeCli.OutputAsync("/nonexistent/podman", ["version"], ct));
    }

    [Fact]
    public async Task A_cancelled_start_stops_waiting_and_kills_the_command()
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(300));
        var marker = $"{Guid.NewGuid():N}";
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ContainerRuntimeCli.OutputAsync("sh", ["-c", $"sleep 30 # {marker}"], cancel.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"waited {clock.Elapsed} for a cancelled command");
        Assert.DoesNotContain(Process.GetProcessesByName("sh"), p => CommandLine(p).Contains(marker, StringComparison.Ordinal));
    }

    private static string CommandLine(Process process)
    {
        try
        {
            return File.ReadAllText($"/proc/{process.Id}/cmdline");
        }
        catch (IOException)
        {
            return "";
        }
    }
}
