using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DendriteAspire.Integration.Tests;

/// <summary>
/// The built AppHost started the way a user starts it: <c>dotnet run --no-build --project AppHost -- ...</c> in the
/// repository, with free loopback ports for the dashboard and the settings on the command line. Its console output is
/// kept for failure messages.
/// </summary>
public sealed class AppHostCommandLine : IDisposable
{
    private const int KeptLines = 60;
    private readonly Process process;
    private readonly Queue<string> output = new();

    private AppHostCommandLine(Process process, Uri dashboard)
    {
        this.process = process;
        Dashboard = dashboard;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public bool HasExited => process.HasExited;

    /// <summary>The dashboard's address (anonymous access, plain http on loopback).</summary>
    public Uri Dashboard { get; }

    public int ExitCode => process.ExitCode;

    /// <summary>The last lines the AppHost printed.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return string.Join('\n', output);
            }
        }
    }

    /// <param name="appHostArguments">Settings after <c>--</c>.</param>
    /// <param name="interactive">True to let the dashboard show dialogs (the interaction service), as for a person.</param>
    public static AppHostCommandLine Start(IEnumerable<string> appHostArguments, bool interactive = false)
    {
        var root = RepositoryRoot();
        // The configuration this test assembly was built in; the AppHost, a project reference, was built with it.
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Release" : "Debug";
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in new[] { "run", "--no-build", "--no-launch-profile", "-c", configuration, "--project", "AppHost", "--" }.Concat(appHostArguments))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true";
        start.Environment["ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"] = "true";
        start.Environment["ASPIRE_INTERACTIVITY_ENABLED"] = interactive ? "true" : "false";
        var dashboard = Loopback(FreePort());
        start.Environment["ASPNETCORE_URLS"] = dashboard;
        start.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = Loopback(FreePort());
        start.Environment["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = Loopback(FreePort());
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet run did not start");
        process.StandardInput.Close();
        return new AppHostCommandLine(process, new Uri(dashboard));
    }

    /// <summary>Polls <paramref name="url"/> until it answers 200; false when the AppHost exits or time runs out.</summary>
    public async Task<bool> WaitForOkAsync(Uri url, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout && !process.HasExited)
        {
            try
            {
                using var response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
        }

        return false;
    }

    /// <summary>Sends SIGTERM (what Ctrl+C's sibling, a service manager or `kill` sends) and waits for the exit.</summary>
    public async Task<bool> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync().ConfigureAwait(false);
        }

        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
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

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Loopback(int port) => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DendriteAspire.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"DendriteAspire.sln not found above {AppContext.BaseDirectory}");
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.Enqueue(line);
            while (output.Count > KeptLines)
            {
                output.Dequeue();
            }
        }
    }
}
