using System.Diagnostics;
using System.Globalization;

namespace DendriteAspire.Bench;

/// <summary>
/// The built AppHost run out of process with <c>dotnet run --no-build</c>, as a user runs it, with fixed loopback ports
/// for the dashboard so that nothing depends on a launch profile or a developer certificate.
/// </summary>
internal sealed class AppHostProcess : IDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromMinutes(1);
    private readonly Process process;
    private readonly Stopwatch clock;
    private readonly TaskCompletionSource<TimeSpan> started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AppHostProcess(Process process, Stopwatch clock)
    {
        this.process = process;
        this.clock = clock;
    }

    /// <summary>
    /// Time from the start of <c>dotnet run</c> until the AppHost logs "Distributed application started": Aspire's
    /// boot (DCP and the dashboard up, the model handed to DCP), before any resource is necessarily running.
    /// </summary>
    public Task<TimeSpan> Started => started.Task;

    public int Pid => process.Id;

    public bool HasExited => process.HasExited;

    public static ProcessStartInfo Command(string repositoryRoot, string configuration, IEnumerable<string> appHostArguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = repositoryRoot,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        string[] run = ["run", "--no-build", "--no-launch-profile", "-c", configuration, "--project", "AppHost", "--"];
        foreach (var argument in run.Concat(appHostArguments))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true";
        start.Environment["ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"] = "true";
        start.Environment["ASPIRE_INTERACTIVITY_ENABLED"] = "false";
        start.Environment["ASPNETCORE_URLS"] = Loopback(LocalPorts.Free());
        start.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = Loopback(LocalPorts.Free());
        start.Environment["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = Loopback(LocalPorts.Free());
        return start;
    }

    public static AppHostProcess Start(ProcessStartInfo command)
    {
        var clock = Stopwatch.StartNew();
        var process = Process.Start(command) ?? throw new InvalidOperationException("dotnet run did not start");
        process.StandardInput.Close();
        var host = new AppHostProcess(process, clock);
        // Drain the output so the AppHost never blocks on a full pipe; the bench prints only its table.
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("Distributed application started", StringComparison.Ordinal) == true)
            {
                host.started.TrySetResult(clock.Elapsed);
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Runs a command to completion (publish); returns the elapsed time and exit code.</summary>
    public static async Task<(TimeSpan Elapsed, int ExitCode)> RunToCompletionAsync(ProcessStartInfo command, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        using var host = Start(command);
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await host.process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            return (clock.Elapsed, host.process.ExitCode);
        }
        catch (OperationCanceledException)
        {
            host.process.Kill(entireProcessTree: true);
            return (clock.Elapsed, -1);
        }
    }

    /// <summary>
    /// SIGTERM (dotnet run passes it on to the AppHost, which stops its containers through DCP), then a hard kill
    /// of the whole tree if it has not exited within a minute.
    /// </summary>
    public async Task StopAsync()
    {
        if (process.HasExited)
        {
            return;
        }

        // dotnet run forwards SIGTERM to the app; the AppHost itself gets it too in case this SDK does not.
        var targets = ProcessTree.Descendants(process.Id)
            .Where(p => p.Name.Contains("AppHost", StringComparison.Ordinal))
            .Select(p => p.Pid.ToString(CultureInfo.InvariantCulture))
            .Prepend(process.Id.ToString(CultureInfo.InvariantCulture));
        using (var kill = Process.Start("kill", ["-TERM", .. targets]))
        {
            await kill.WaitForExitAsync().ConfigureAwait(false);
        }

        using var deadline = new CancellationTokenSource(StopTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.Dispose();
    }

    private static string Loopback(int port) => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
}
