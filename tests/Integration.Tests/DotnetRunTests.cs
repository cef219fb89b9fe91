namespace DendriteAspire.Integration.Tests;

/// <summary>
/// `dotnet run --project AppHost` as a user runs it, out of process (not the testing builder): Dendrite answers on the
/// configured host port, SIGTERM stops the AppHost with exit code 0, and no container of the run is left behind.
/// </summary>
[Trait("Category", "Live")]
public class DotnetRunTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan CleanupTimeout = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task DotnetRun_ServesClientVersions_AndSigtermExitsZero_LeavingNoContainer()
    {
        var runtime = await LiveEnvironment.RequireAsync(withPostgres: false);
        var ct = TestContext.Current.CancellationToken;
        var prefix = VolumePrefix.New("dotnet-run");
        var port = AppHostCommandLine.FreePort();
        var keysVolume = $"{prefix}-storage-keys";
        var containers = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            using (var appHost = AppHostCommandLine.Start(
            [
                $"--Dendrite:VolumePrefix={prefix}", $"--Dendrite:HostPort={port}", $"--DcpPublisher:ContainerRuntime={runtime.Name}",
            ]))
            {
                var healthy = await appHost.WaitForOkAsync(new Uri($"http://localhost:{port}/_matrix/client/versions"), StartTimeout, ct);
                Assert.True(healthy, $"/_matrix/client/versions did not answer 200 on port {port} "
                    + (appHost.HasExited ? $"(the AppHost exited with {appHost.ExitCode})" : $"within {StartTimeout.TotalMinutes:0} min")
                    + $"; its last output:\n{appHost.Output}");

                containers.UnionWith(await ContainersAsync(runtime, keysVolume, ct));
                Assert.NotEmpty(containers); // the key step and Dendrite

                Assert.True(await appHost.TerminateAsync(StopTimeout), $"the AppHost did not exit within {StopTimeout.TotalSeconds:0} s of SIGTERM");
                Assert.True(appHost.ExitCode == 0, $"the AppHost exited with {appHost.ExitCode} after SIGTERM; its last output:\n{appHost.Output}");
            }

            // DCP removes the session's containers as the AppHost goes; give it a moment, then nothing may remain.
            var left = await ContainersAsync(runtime, keysVolume, ct);
            for (var waited = TimeSpan.Zero; left.Count > 0 && waited < CleanupTimeout; waited += TimeSpan.FromSeconds(1))
            {
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
                left = await ContainersAsync(runtime, keysVolume, ct);
            }

            Assert.True(left.Count == 0, $"containers of this run still exist {CleanupTimeout.TotalSeconds:0} s after the AppHost exited: {string.Join(", ", left)}");
            foreach (var id in containers)
            {
                var inspect = await runtime.RunAsync(TimeSpan.FromSeconds(30), ct, "container", "inspect", id);
                Assert.False(inspect.Succeeded, $"container {id} of this run still exists");
            }
        }
        finally
        {
            var leftovers = await ContainersAsync(runtime, keysVolume, CancellationToken.None);
            if (leftovers.Count > 0)
            {
                await runtime.RunAsync(TimeSpan.FromMinutes(1), CancellationToken.None, ["rm", "-f", "-v", .. leftovers]);
            }

            await VolumePrefix.RemoveVolumesAsync(runtime, prefix, withPostgres: false);
        }
    }

    /// <summary>Every container (running or not) that mounts the run's keys volume: the key step and Dendrite.</summary>
    private static async Task<List<string>> ContainersAsync(ContainerRuntime runtime, string volume, CancellationToken ct)
    {
        var result = await runtime.RunAsync(TimeSpan.FromSeconds(30), ct, "ps", "--all", "--quiet", "--no-trunc", "--filter", $"volume={volume}");
        Assert.True(result.Succeeded, $"{runtime.Name} ps failed: {result.FirstErrorLine}");
        return [.. result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }
}
