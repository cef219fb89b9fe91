using System.Diagnostics;
using System.Globalization;
using DendriteAspire.ConfigRenderer.Layout;
using DendriteAspire.Integration.Tests;

namespace DendriteAspire.Bench;

/// <summary>
/// The measurements of issue 5, in one run: time to healthy (AppHost vs the same containers started directly, cold and
/// warm), message round trip through the Aspire endpoint vs the container's own port, publish times, and the AppHost's
/// memory at idle.
/// </summary>
internal sealed class Benchmark(string repositoryRoot, int messages, int warmRuns)
{
    private const string Configuration = "Release";
    private static readonly TimeSpan HealthyTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan IdleSettle = TimeSpan.FromSeconds(10);

    public ResultTable Table { get; } = new();

    public async Task<bool> BuildAppHostAsync(CancellationToken cancellationToken)
    {
        await Console.Error.WriteLineAsync($"bench: building AppHost ({Configuration}) ...").ConfigureAwait(false);
        var start = new ProcessStartInfo("dotnet", ["build", "AppHost", "-c", Configuration, "--nologo", "-v", "q"])
        {
            WorkingDirectory = repositoryRoot,
            RedirectStandardOutput = true,
        };
        using var build = Process.Start(start)!;
        var output = build.StandardOutput.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromMinutes(10));
        await build.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        if (build.ExitCode != 0)
        {
            await Console.Error.WriteLineAsync($"bench: AppHost build failed\n{await output.ConfigureAwait(false)}").ConfigureAwait(false);
        }

        return build.ExitCode == 0;
    }

    public async Task MeasurePublishAsync()
    {
        var output = Directory.CreateTempSubdirectory("dendrite-bench-publish-");
        try
        {
            var kubernetes = Path.Combine(output.FullName, "kubernetes");
            var (k8sTime, k8sExit) = await AppHostProcess.RunToCompletionAsync(AppHostProcess.Command(repositoryRoot, Configuration,
            [
                "--operation", "publish", "--step", "publish", "--output-path", kubernetes,
                "--Parameters:dendrite-registration-secret=x", "--Parameters:postgres-password=y", "--Dendrite:ServerName=bench.example",
            ]), PublishTimeout).ConfigureAwait(false);
            var files = Directory.Exists(kubernetes) ? Directory.EnumerateFiles(kubernetes, "*", SearchOption.AllDirectories).Count() : 0;
            Table.Add("publish: Kubernetes (s)", ResultTable.Seconds(k8sTime), result: $"exit {k8sExit}, {files} files written");

            var manifest = Path.Combine(output.FullName, "aspire-manifest.json");
            var (manifestTime, manifestExit) = await AppHostProcess.RunToCompletionAsync(AppHostProcess.Command(repositoryRoot, Configuration,
                ["--publisher", "manifest", "--output-path", manifest]), PublishTimeout).ConfigureAwait(false);
            Table.Add("publish: manifest (s)", ResultTable.Seconds(manifestTime),
                result: $"exit {manifestExit}, manifest {(File.Exists(manifest) ? "written" : "missing")}");
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    public async Task MeasureLiveAsync(CancellationToken cancellationToken)
    {
        var (runtime, problem) = await BenchEnvironment.FindRuntimeAsync(cancellationToken).ConfigureAwait(false);
        if (runtime is null)
        {
            Table.Skipped("time to healthy, cold", problem!);
            Table.Skipped("time to healthy, warm", problem!);
            Table.Skipped("model's cost, warm", problem!, "<= 3x bare");
            Table.Skipped("Persistent: AppHost restart", problem!);
            Table.Skipped("round trip p50", problem!, "proxy overhead < 10%");
            Table.Skipped("round trip p95", problem!);
            Table.Skipped("AppHost memory at idle", problem!);

            return;
        }

        var stamp = DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        var appPrefix = $"dendriteaspire-bench-{stamp}";
        var barePrefix = $"{appPrefix}-bare";
        var work = Directory.CreateTempSubdirectory("dendrite-bench-");
        var bareContainers = new List<string>();
        try
        {
            await MeasureLiveAsync(runtime, appPrefix, barePrefix, work.FullName, bareContainers, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await ContainerSpec.RemoveAsync(runtime, bareContainers).ConfigureAwait(false);
            foreach (var prefix in new[] { appPrefix, barePrefix })
            {
                await RemoveLeftoversAsync(runtime, prefix).ConfigureAwait(false);
            }

            work.Delete(recursive: true);
        }
    }

    private async Task MeasureLiveAsync(ContainerRuntime runtime, string appPrefix, string barePrefix, string work,
        List<string> bareContainers, CancellationToken cancellationToken)
    {
        var secret = $"bench-{Guid.NewGuid():N}";
        var hostPort = LocalPorts.Free();
        string[] appArguments =
        [
            $"--Dendrite:VolumePrefix={appPrefix}", $"--Dendrite:HostPort={hostPort}",
            $"--Parameters:dendrite-registration-secret={secret}", $"--DcpPublisher:ContainerRuntime={runtime.Name}",
        ];
        // The URL the dashboard shows for the http endpoint.
        var endpoint = new Uri($"http://localhost:{hostPort}");

        // Cold: new volumes, so keygen runs and Dendrite creates its databases.
        await Console.Error.WriteLineAsync("bench: AppHost cold start ...").ConfigureAwait(false);
        var (cold, coldFloor, host) = await StartAppHostAsync(runtime, appPrefix, appArguments, endpoint, cancellationToken).ConfigureAwait(false);
        ContainerSpec dendrite;
        ContainerSpec? keygen;
        var configFile = Path.Combine(work, "dendrite.yaml");
        Latency[] latency;
        var proxied = true;
        using (host)
        {
            if (cold is null)
            {
                var reason = host.HasExited
                    ? "the AppHost exited before /_matrix/client/versions answered"
                    : $"/_matrix/client/versions did not answer 200 within {HealthyTimeout.TotalMinutes:0} min";
                Table.Add("time to healthy, cold", $"FAILED: {reason}");
                Table.Skipped("time to healthy, warm", reason);
                Table.Skipped("model's cost, warm", reason, "<= 3x bare");
                Table.Skipped("Persistent: AppHost restart", reason);
                Table.Skipped("round trip p50", reason, "proxy overhead < 10%");
                Table.Skipped("round trip p95", reason);
                Table.Skipped("AppHost memory at idle", reason);
                return;
            }

            var dendriteId = await ContainerSpec.FindAsync(runtime, $"{appPrefix}-jetstream", keygen: false, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("the AppHost's dendrite container was not found");
            var keygenId = await ContainerSpec.FindAsync(runtime, $"{appPrefix}-storage-keys", keygen: true, cancellationToken).ConfigureAwait(false);
            dendrite = await ContainerSpec.InspectAsync(runtime, dendriteId, cancellationToken).ConfigureAwait(false);
            keygen = keygenId is null ? null : await ContainerSpec.InspectAsync(runtime, keygenId, cancellationToken).ConfigureAwait(false);
            var copied = await runtime.RunAsync(TimeSpan.FromMinutes(1), cancellationToken, "cp", $"{dendriteId}:{DendritePaths.ConfigFile}", configFile)
                .ConfigureAwait(false);
            if (!copied.Succeeded)
            {
                throw new InvalidOperationException($"copying dendrite.yaml out of the container: {copied.FirstErrorLine}");
            }

            var directPort = await ContainerSpec.HostPortAsync(runtime, dendriteId, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("the dendrite container publishes no host port for 8008");
            // Dendrite's endpoint is published by the runtime itself (no DCP proxy): then both paths are the same port.
            proxied = directPort != hostPort;
            await Console.Error.WriteLineAsync($"bench: {messages} round trips via {endpoint} and via 127.0.0.1:{directPort} ...").ConfigureAwait(false);
            latency = await MeasureRoundTripsAsync(endpoint, new Uri($"http://127.0.0.1:{directPort}"), secret, cancellationToken).ConfigureAwait(false);
            await host.StopAsync().ConfigureAwait(false);
        }

        // DCP tears the session down after the AppHost exits; the warm start must not find the old one still answering.
        await WaitUntilDownAsync(endpoint, cancellationToken).ConfigureAwait(false);

        // Warm: the same volumes again, several times (one start on 2 cores is at the mercy of whatever else runs); the
        // medians go in the table. The last one also gives the AppHost's memory at idle.
        var warmStarts = new List<(TimeSpan Total, TimeSpan Floor, TimeSpan? Started)>();
        IReadOnlyList<ProcessMemory> memory = [];
        for (var run = 1; run <= warmRuns; run++)
        {
            await Console.Error.WriteLineAsync($"bench: AppHost warm start {run}/{warmRuns} ...").ConfigureAwait(false);
            var (warmTotal, warmFloor, warmHost) = await StartAppHostAsync(runtime, appPrefix, appArguments, endpoint, cancellationToken).ConfigureAwait(false);
            using (warmHost)
            {
                if (warmTotal is { } runTotal && warmFloor is { } runFloor)
                {
                    warmStarts.Add((runTotal, runFloor, warmHost.Started.IsCompletedSuccessfully ? warmHost.Started.Result : null));
                }

                if (run == warmRuns && warmTotal is not null)
                {
                    await Task.Delay(IdleSettle, cancellationToken).ConfigureAwait(false);
                    // The AppHost, DCP and the dashboard; the SDK launcher (`dotnet run`) itself is left out.
                    memory = ProcessTree.AppHostProcesses(warmHost.Pid);
                }

                await warmHost.StopAsync().ConfigureAwait(false);
            }

            await WaitUntilDownAsync(endpoint, cancellationToken).ConfigureAwait(false);
        }

        TimeSpan? warm = warmStarts.Count == 0 ? null : Median(warmStarts.Select(w => w.Total));
        TimeSpan? warmFloorMedian = warmStarts.Count == 0 ? null : Median(warmStarts.Select(w => w.Floor));
        TimeSpan? warmModel = warmStarts.Count == 0 ? null : Median(warmStarts.Select(w => w.Total - w.Floor));
        TimeSpan? warmStartedLine = !warmStarts.Any(w => w.Started is not null) ? null
            : Median(warmStarts.Where(w => w.Started is not null).Select(w => w.Started!.Value));

        await RemoveLeftoversAsync(runtime, appPrefix, volumesToo: false).ConfigureAwait(false);

        // The bare container: the same image, command, config and mounts, on its own new volumes (cold), then again (warm).
        await Console.Error.WriteLineAsync("bench: bare container cold and warm ...").ConfigureAwait(false);
        var (bareCold, coldContainers) = await ContainerSpec.TimeStartAsync(runtime, dendrite, keygen, appPrefix, barePrefix, configFile, "cold",
            cancellationToken).ConfigureAwait(false);
        bareContainers.AddRange(coldContainers);
        await ContainerSpec.RemoveAsync(runtime, coldContainers).ConfigureAwait(false);
        var bareWarmRuns = new List<TimeSpan>();
        for (var run = 1; run <= warmRuns; run++)
        {
            var (bareRun, warmContainers) = await ContainerSpec.TimeStartAsync(runtime, dendrite, null, appPrefix, barePrefix, configFile, $"warm{run}",
                cancellationToken).ConfigureAwait(false);
            bareContainers.AddRange(warmContainers);
            await ContainerSpec.RemoveAsync(runtime, warmContainers).ConfigureAwait(false);
            if (bareRun is { } elapsed)
            {
                bareWarmRuns.Add(elapsed);
            }
        }

        TimeSpan? bareWarm = bareWarmRuns.Count == 0 ? null : Median(bareWarmRuns);

        Table.Add("time to healthy, cold (Session)", ResultTable.Seconds(cold), ResultTable.Seconds(bareCold), Ratio(cold, bareCold),
            result: keygen is null ? "(bare cold ran without keygen: not found)" : "bare: keygen, then dendrite");
        Table.Add("  Aspire's floor: start -> DCP creates the first container", ResultTable.Seconds(coldFloor));
        var coldModel = cold - coldFloor;
        Table.Add("  our model's cost: first container -> healthy", ResultTable.Seconds(coldModel), ResultTable.Seconds(bareCold), Ratio(coldModel, bareCold));
        Table.Add($"time to healthy, warm (Session), median of {warmStarts.Count}", ResultTable.Seconds(warm), ResultTable.Seconds(bareWarm), Ratio(warm, bareWarm),
            result: $"bare: dendrite only (the key exists), median of {bareWarmRuns.Count}: {string.Join(", ", bareWarmRuns.Select(r => ResultTable.Seconds(r)))}");
        Table.Add("  Aspire's floor: start -> DCP creates the first container", ResultTable.Seconds(warmFloorMedian),
            result: warmStartedLine is { } line ? $"'Distributed application started' at {ResultTable.Seconds(line)}" : "");
        var modelRatio = warmModel is { } m && bareWarm is { } b && b > TimeSpan.Zero ? m / b : (double?)null;
        Table.Add("  our model's cost: first container -> healthy", ResultTable.Seconds(warmModel), ResultTable.Seconds(bareWarm),
            Ratio(warmModel, bareWarm), "<= 3x bare",
            (modelRatio is null ? "n/a" : modelRatio <= 3 ? "met" : "NOT met")
            + $"; each run: {string.Join(", ", warmStarts.Select(w => ResultTable.Seconds(w.Total - w.Floor)))}");

        await MeasurePersistentAsync(runtime, appPrefix, appArguments, endpoint, warm, cancellationToken).ConfigureAwait(false);

        var overhead = (latency[0].P50 - latency[1].P50) / latency[1].P50;
        Table.Add($"round trip p50 (ms, n={latency[0].Count})", ResultTable.Number(latency[0].P50, "0.0"), ResultTable.Number(latency[1].P50, "0.0"),
            ResultTable.Number(latency[0].P50 / latency[1].P50, "0.00") + "x", "proxy overhead < 10%",
            $"{ResultTable.Number(overhead * 100, "0.0")}% {(overhead < 0.10 ? "met" : "NOT met")}"
            + (proxied ? "" : " (no proxy: the endpoint is the container's published port; the difference is noise)"));
        Table.Add($"round trip p95 (ms, n={latency[0].Count})", ResultTable.Number(latency[0].P95, "0.0"), ResultTable.Number(latency[1].P95, "0.0"),
            ResultTable.Number(latency[0].P95 / latency[1].P95, "0.00") + "x");
        var total = memory.Sum(p => p.RssBytes) / (1024.0 * 1024.0);
        var parts = string.Join(", ", memory.GroupBy(p => p.Name).Select(g =>
            $"{g.Key} {ResultTable.Number(g.Sum(p => p.RssBytes) / (1024.0 * 1024.0), "0")}"));
        Table.Add("AppHost memory at idle (MiB RSS)", memory.Count == 0 ? "n/a" : ResultTable.Number(total, "0"), result: parts);
    }

    /// <summary>
    /// Starts the AppHost and waits for <c>/_matrix/client/versions</c>. Also returns Aspire's floor: the time until DCP
    /// created the first container of this start (the key step's, or Dendrite's), read from the runtime.
    /// </summary>
    private async Task<(TimeSpan? Elapsed, TimeSpan? Floor, AppHostProcess Host)> StartAppHostAsync(ContainerRuntime runtime, string prefix,
        string[] appArguments, Uri endpoint, CancellationToken cancellationToken)
    {
        var command = AppHostProcess.Command(repositoryRoot, Configuration, appArguments);
        var startedAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var host = AppHostProcess.Start(command);
        var elapsed = await LocalPorts.WaitForVersionsAsync(endpoint, clock, HealthyTimeout, () => host.HasExited, cancellationToken)
            .ConfigureAwait(false);
        var first = elapsed is null ? null
            : await ContainerSpec.FirstCreatedAsync(runtime, $"{prefix}-storage-keys", startedAt, cancellationToken).ConfigureAwait(false);
        return (elapsed, first - startedAt, host);
    }

    /// <summary>
    /// <c>Dendrite:Lifetime=Persistent</c> on the same (warm) volumes: the first start creates the persistent containers;
    /// after SIGTERM the homeserver keeps answering; a restart costs only Aspire's boot, and the homeserver is polled
    /// throughout it for the longest time it did not answer.
    /// </summary>
    private async Task MeasurePersistentAsync(ContainerRuntime runtime, string prefix, string[] sessionArguments, Uri endpoint,
        TimeSpan? sessionWarm, CancellationToken cancellationToken)
    {
        string[] arguments = [.. sessionArguments, "--Dendrite:Lifetime=Persistent"];
        await Console.Error.WriteLineAsync("bench: Persistent lifetime: first start, SIGTERM, restart ...").ConfigureAwait(false);
        try
        {
            var (first, firstFloor, firstHost) = await StartAppHostAsync(runtime, prefix, arguments, endpoint, cancellationToken).ConfigureAwait(false);
            using (firstHost)
            {
                await firstHost.StopAsync().ConfigureAwait(false);
            }

            Table.Add("time to healthy, Persistent first start (warm volumes)", ResultTable.Seconds(first),
                result: $"Aspire's floor {ResultTable.Seconds(firstFloor)}");
            if (first is null)
            {
                return;
            }

            var survived = await LocalPorts.WaitForVersionsAsync(endpoint, Stopwatch.StartNew(), TimeSpan.FromSeconds(10), () => false, cancellationToken)
                .ConfigureAwait(false);

            using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var gaps = LongestOutageAsync(endpoint, watching.Token);
            var restarted = AppHostProcess.Start(AppHostProcess.Command(repositoryRoot, Configuration, arguments));
            TimeSpan? boot;
            using (restarted)
            {
                var finished = await Task.WhenAny(restarted.Started, Task.Delay(HealthyTimeout, cancellationToken)).ConfigureAwait(false);
                boot = finished == restarted.Started ? await restarted.Started.ConfigureAwait(false) : null;
                // Let DCP adopt the running containers before measuring stops.
                await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
                await watching.CancelAsync().ConfigureAwait(false);
                await restarted.StopAsync().ConfigureAwait(false);
            }

            var outage = await gaps.ConfigureAwait(false);
            Table.Add("Persistent: AppHost restart -> 'Distributed application started'", ResultTable.Seconds(boot),
                ResultTable.Seconds(sessionWarm), Ratio(boot, sessionWarm),
                result: "baseline: Session warm start to healthy");
            Table.Add("Persistent: homeserver unreachable during the restart", ResultTable.Seconds(outage), goal: "0 s",
                result: survived is null ? "NOT met: down after the first AppHost stopped" : outage == TimeSpan.Zero ? "met" : "NOT met");
        }
        finally
        {
            // Persistent containers outlive the AppHost by design; the bench removes its own.
            await RemoveLeftoversAsync(runtime, prefix, volumesToo: false).ConfigureAwait(false);
        }
    }

    private static TimeSpan Median(IEnumerable<TimeSpan> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>Waits (up to a minute) until nothing answers on <paramref name="endpoint"/> any more.</summary>
    private static async Task WaitUntilDownAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = endpoint, Timeout = TimeSpan.FromSeconds(2) };
        for (var clock = Stopwatch.StartNew(); clock.Elapsed < TimeSpan.FromMinutes(1); await Task.Delay(200, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                using var response = await http.GetAsync(new Uri("/_matrix/client/versions", UriKind.Relative), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                return;
            }
        }
    }

    /// <summary>Polls <c>/_matrix/client/versions</c> every 100 ms until cancelled; the longest run of failed polls.</summary>
    private static async Task<TimeSpan> LongestOutageAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = endpoint, Timeout = TimeSpan.FromSeconds(2) };
        var longest = TimeSpan.Zero;
        Stopwatch? down = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            var ok = false;
            try
            {
                using var response = await http.GetAsync(new Uri("/_matrix/client/versions", UriKind.Relative), cancellationToken).ConfigureAwait(false);
                ok = response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
            catch (OperationCanceledException)
            {
                break;
            }

            if (ok)
            {
                down = null;
            }
            else
            {
                down ??= Stopwatch.StartNew();
                longest = down.Elapsed > longest ? down.Elapsed : longest;
            }

            try
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return longest;
    }

    private async Task<Latency[]> MeasureRoundTripsAsync(Uri aspireEndpoint, Uri directEndpoint, string secret, CancellationToken cancellationToken)
    {
        using var viaAspire = new HttpClient { BaseAddress = aspireEndpoint, Timeout = TimeSpan.FromSeconds(30) };
        using var direct = new HttpClient { BaseAddress = directEndpoint, Timeout = TimeSpan.FromSeconds(30) };
        var aspireClient = new MatrixClient(viaAspire);
        var directClient = new MatrixClient(direct);
        var roundTrip = await MessageRoundTrip.PrepareAsync(aspireClient, secret, cancellationToken).ConfigureAwait(false);
        var aspireReceiver = await roundTrip.AddReceiverAsync(aspireClient, secret, cancellationToken).ConfigureAwait(false);
        var directReceiver = await roundTrip.AddReceiverAsync(directClient, secret, cancellationToken).ConfigureAwait(false);
        return await roundTrip.MeasureAsync([(aspireClient, aspireReceiver), (directClient, directReceiver)], messages, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Containers still mounting the prefix's volumes (a hard-killed AppHost), then the volumes themselves.</summary>
    private static async Task RemoveLeftoversAsync(ContainerRuntime runtime, string prefix, bool volumesToo = true)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var volumes = ContainerRuntime.VolumeNames(prefix, withPostgres: true).ToHashSet(StringComparer.Ordinal);
        volumes.UnionWith(await runtime.ListVolumesAsync(prefix, timeout.Token).ConfigureAwait(false));
        foreach (var volume in volumes)
        {
            var users = await runtime.RunAsync(TimeSpan.FromSeconds(30), timeout.Token, "ps", "-aq", "--filter", $"volume={volume}").ConfigureAwait(false);
            await ContainerSpec.RemoveAsync(runtime, users.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .ConfigureAwait(false);
        }

        if (volumesToo)
        {
            await runtime.RemoveVolumesAsync(volumes, timeout.Token).ConfigureAwait(false);
        }
    }

    private static string Ratio(TimeSpan? aspire, TimeSpan? baseline) =>
        aspire is { } a && baseline is { } b && b > TimeSpan.Zero ? ResultTable.Number(a / b, "0.00") + "x" : "n/a";
}
