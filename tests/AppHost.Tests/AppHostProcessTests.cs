using System.Diagnostics;

namespace DendriteAspire.AppHost.Tests;

/// <summary>
/// The real AppHost process, as a user starts it: bad settings print only the <c>error: &lt;key&gt;: &lt;fix&gt;</c>
/// lines and exit 2 (the ConfigRenderer CLI's code), with no stack trace, before anything starts.
/// </summary>
public class AppHostProcessTests
{
    [Fact]
    public async Task Bad_settings_print_the_error_lines_and_exit_2_without_a_stack_trace()
    {
        var result = await AppHostProcess.RunAsync(
            "--Dendrite:ServerName=https://family.example",
            "--Dendrite:WellKnown:ServerName=https://family.example");

        Assert.Equal(2, result.ExitCode);
        var lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains(lines, l => l.StartsWith("error: Dendrite:WellKnown:ServerName: ", StringComparison.Ordinal) && l.Contains("https://", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("error: Dendrite:ServerName: ", StringComparison.Ordinal) && l.Contains("https://", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.StartsWith("error: Dendrite:", l, StringComparison.Ordinal));
        AppHostProcess.AssertNoStackTrace(result);
    }

    [Fact]
    public async Task Publishing_localhost_exits_2_with_the_fix_and_writes_nothing()
    {
        var output = Publishing.NewOutputDirectory();
        var result = await AppHostProcess.RunAsync(
            "--operation", "publish", "--step", "publish", "--output-path", output,
            "--Pipeline:ClearCache", "true",
            "--Dendrite:ServerName=localhost",
            $"--Parameters:dendrite-registration-secret={Publishing.RegistrationSecret}",
            $"--Parameters:dendrite-metrics-password={Publishing.MetricsPassword}");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("error: Dendrite:ServerName: \"localhost\" cannot be published to a cluster", line, StringComparison.Ordinal);
        Assert.Contains("--Dendrite:ServerName=family.example", line, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(output));
        AppHostProcess.AssertNoStackTrace(result);
    }
}

/// <summary>Runs the built AppHost (<c>AppHost/bin/&lt;configuration&gt;/net10.0</c>) as its own process.</summary>
internal static class AppHostProcess
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    public static Task<Result> RunAsync(params string[] arguments) => RunAsync(new Dictionary<string, string>(), arguments);

    public static async Task<Result> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        // bin/<configuration>/<framework>/ of this test project names the configuration the AppHost was built in.
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = testOutput.Parent!.Name;
        var appHostDirectory = Path.Combine(RepositoryRoot.Path, "AppHost", "bin", configuration, testOutput.Name);
        var appHost = Path.Combine(appHostDirectory, "DendriteAspire.AppHost.dll");
        Assert.True(File.Exists(appHost), $"{appHost} is missing; build tests/AppHost.Tests first");

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = appHostDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(appHost);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPIRE_INTERACTIVITY_ENABLED"] = "false";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }

    public static void AssertNoStackTrace(Result result)
    {
        var all = result.StandardOutput + result.StandardError;
        Assert.DoesNotContain("Unhandled exception", all, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception:", all, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(?m)^\s+at \S+\(", all);
    }
}
