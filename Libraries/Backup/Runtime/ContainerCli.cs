using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace DendriteAspire.Backup.Runtime;

/// <summary>
/// The <c>docker</c> or <c>podman</c> command line. Every call has a deadline and is killed with its children when it
/// overruns or is cancelled; a failure names the command and the last lines it printed.
/// </summary>
public sealed class ContainerCli
{
    private readonly Func<ProcessStartInfo, Process?> _launch = Process.Start;

    /// <summary>The CLI of <paramref name="runtime"/>: <c>docker</c> or <c>podman</c>.</summary>
    public ContainerCli(string runtime)
    {
        ArgumentException.ThrowIfNullOrEmpty(runtime);
        if (runtime is not ("docker" or "podman"))
        {
            throw new BackupRefusedException($"container runtime '{runtime}' is not supported; set ASPIRE_CONTAINER_RUNTIME to docker or podman");
        }

        Name = runtime;
    }

    private ContainerCli(string runtime, Func<ProcessStartInfo, Process?> launch)
        : this(runtime)
    {
        _launch = launch;
    }

    /// <summary><c>docker</c> or <c>podman</c>.</summary>
    public string Name { get; }

    /// <summary>The same CLI, its commands started through <paramref name="launch"/> (<see cref="BackgroundCpu.Start"/>: at normal priority).</summary>
    public ContainerCli StartingThrough(Func<ProcessStartInfo, Process?> launch) => new(Name, launch);

    /// <summary>The runtime from <c>ASPIRE_CONTAINER_RUNTIME</c> (docker or podman), else the first of podman, docker on PATH.</summary>
    public static ContainerCli FromEnvironment(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        var configured = getVariable("ASPIRE_CONTAINER_RUNTIME")?.Trim().ToLowerInvariant();
        if (!string.IsNullOrEmpty(configured))
        {
            return new ContainerCli(configured);
        }

        var path = getVariable("PATH") ?? "";
        foreach (var candidate in new[] { "podman", "docker" })
        {
            if (path.Split(Path.PathSeparator).Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, candidate))))
            {
                return new ContainerCli(candidate);
            }
        }

        throw new BackupRefusedException("no container runtime: install docker or podman, or set ASPIRE_CONTAINER_RUNTIME");
    }

    /// <summary>Runs a command and returns its output; a non-zero exit is a <see cref="BackupFailedException"/>.</summary>
    public async Task<string> RunAsync(TimeSpan timeout, CancellationToken cancellationToken, params string[] arguments)
    {
        var (code, output, errors) = await TryRunAsync(timeout, cancellationToken, arguments).ConfigureAwait(false);
        return code == 0 ? output : throw Failure(arguments, code, errors + output);
    }

    /// <summary>Runs a command; the exit code, stdout and stderr, never an exception for a non-zero exit.</summary>
    public Task<(int ExitCode, string Output, string Errors)> TryRunAsync(TimeSpan timeout, CancellationToken cancellationToken, params string[] arguments) =>
        TryRunAsync(timeout, null, cancellationToken, arguments);

    /// <summary>
    /// Runs a command with extra environment variables for the runtime's CLI: how a secret reaches a container
    /// (<c>-e NAME</c> without a value) without ever being an argument that process lists show.
    /// </summary>
    public async Task<(int ExitCode, string Output, string Errors)> TryRunAsync(TimeSpan timeout, IReadOnlyDictionary<string, string>? environment,
        CancellationToken cancellationToken, params string[] arguments)
    {
        using var process = Start(arguments, redirectInput: false, environment);
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        await WaitAsync(process, arguments, timeout, cancellationToken).ConfigureAwait(false);
        return (process.ExitCode, await output.ConfigureAwait(false), await errors.ConfigureAwait(false));
    }

    /// <summary>Runs a command whose standard output is binary (a tar, a dump) and hands it to <paramref name="read"/>.</summary>
    public async Task ReadOutputAsync(TimeSpan timeout, Func<Stream, CancellationToken, Task> read, CancellationToken cancellationToken, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(read);
        using var process = Start(arguments, redirectInput: false);
        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await read(process.StandardOutput.BaseStream, deadline.Token).ConfigureAwait(false);
            await process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception) when (!process.HasExited)
        {
            Kill(process);
            throw;
        }

        await WaitAsync(process, arguments, timeout, cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw Failure(arguments, process.ExitCode, await errors.ConfigureAwait(false));
        }
    }

    /// <summary>Runs a command and writes its standard input with <paramref name="write"/> (a tar, a dump).</summary>
    public async Task<string> WriteInputAsync(TimeSpan timeout, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var process = Start(arguments, redirectInput: true);
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await write(process.StandardInput.BaseStream, deadline.Token).ConfigureAwait(false);
            process.StandardInput.Close();
        }
        catch (IOException) when (process.HasExited || process.WaitForExit(2000))
        {
            // The command stopped reading: its exit code and message say why.
        }
        catch (Exception) when (!process.HasExited)
        {
            Kill(process);
            throw;
        }

        await WaitAsync(process, arguments, timeout, cancellationToken).ConfigureAwait(false);
        return process.ExitCode == 0
            ? await output.ConfigureAwait(false)
            : throw Failure(arguments, process.ExitCode, await errors.ConfigureAwait(false) + await output.ConfigureAwait(false));
    }

    /// <summary>Starts a long-running command with a writable standard input (a psql session), for the caller to drive.</summary>
    public Process StartInteractive(params string[] arguments) => Start(arguments, redirectInput: true);

    private Process Start(string[] arguments, bool redirectInput, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(Name)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        try
        {
            return _launch(start) ?? throw new BackupFailedException($"{Name} did not start");
        }
        catch (Win32Exception e)
        {
            throw new BackupFailedException($"{Name} is not on PATH ({e.Message}); install it or set ASPIRE_CONTAINER_RUNTIME", e);
        }
    }

    private async Task WaitAsync(Process process, string[] arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            cancellationToken.ThrowIfCancellationRequested();
            throw new BackupFailedException($"`{Name} {Describe(arguments)}` did not finish within {timeout.TotalSeconds:0} s");
        }
    }

    internal static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private BackupFailedException Failure(string[] arguments, int code, string text) =>
        new($"`{Name} {Describe(arguments)}` exited {code}: {LastLines(text)}");

    /// <summary>A command's last five lines of output on one line, for a message.</summary>
    internal static string LastLines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } lines
            ? string.Join(" | ", lines.TakeLast(5))
            : "(it printed nothing)";

    /// <summary>The command for messages; never with environment values (a password given with -e).</summary>
    private static string Describe(string[] arguments) =>
        string.Join(' ', arguments.Select((a, i) => i > 0 && arguments[i - 1] == "-e" && a.Contains('=', StringComparison.Ordinal) ? a[..(a.IndexOf('=', StringComparison.Ordinal) + 1)] + "***" : a).Take(12));
}
