using System.Diagnostics;

namespace DendriteAspire.Backup.Runtime;

/// <summary>
/// The one-off container a backup reads the volumes through (read-only mounts). It is started attached and waits on
/// its standard input, so the copy during Dendrite's pause costs only the copy itself: no <c>exec</c> (most of a
/// second with podman) inside the pause.
/// </summary>
internal sealed class HelperContainer : IAsyncDisposable
{
    private static readonly TimeSpan Startup = TimeSpan.FromMinutes(2);
    private readonly ContainerCli _cli;
    private readonly Process _process;

    private HelperContainer(ContainerCli cli, Process process, string name)
    {
        _cli = cli;
        _process = process;
        Name = name;
    }

    public string Name { get; }

    /// <summary>
    /// Starts it with the volumes mounted (through <paramref name="start"/>: its copy runs inside Dendrite's pause, so at
    /// normal priority); returns once it runs and waits for the word to copy <paramref name="frozen"/> into /snap.
    /// </summary>
    public static async Task<HelperContainer> StartAsync(ContainerCli cli, ContainerCli start, string name, string[] mounts, string image, IReadOnlyList<string> frozen, CancellationToken cancellationToken)
    {
        var copy = frozen.Count == 0 ? "true" : "mkdir -p /snap && cp -a " + string.Join(' ', frozen.Select(v => $"/v/{v}")) + " /snap/";
        var script = $"echo ready; read go; if {copy}; then echo copied; else echo failed; fi; exec sleep 86400";
        var process = start.StartInteractive(["run", "-i", "--rm", "--name", name, "--entrypoint", "sh", .. mounts, image, "-c", script]);
        var helper = new HelperContainer(cli, process, name);
        try
        {
            var line = await helper.ReadLineAsync(Startup, cancellationToken).ConfigureAwait(false);
            return line == "ready" ? helper : throw new BackupFailedException($"the helper container {name} did not start: {line}");
        }
        catch
        {
            await helper.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Copies the paused state inside the container (the only work done while Dendrite is paused).</summary>
    public async Task CopyAsync(CancellationToken cancellationToken)
    {
        await _process.StandardInput.WriteLineAsync("go").ConfigureAwait(false);
        await _process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
        var line = await ReadLineAsync(TimeSpan.FromHours(1), cancellationToken).ConfigureAwait(false);
        if (line != "copied")
        {
            throw new BackupFailedException($"copying the databases inside {Name} failed: {line}");
        }
    }

    private async Task<string> ReadLineAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return (await _process.StandardOutput.ReadLineAsync(deadline.Token).ConfigureAwait(false))?.Trim()
                ?? $"it ended: {await _process.StandardError.ReadToEndAsync(CancellationToken.None).ConfigureAwait(false)}";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BackupFailedException($"the helper container {Name} did not answer within {timeout.TotalSeconds:0} s");
        }
    }

    public async ValueTask DisposeAsync()
    {
        // kill (SIGKILL for both runtimes: its sleep ignores SIGTERM), then rm for what --rm has not removed yet. Not
        // `rm -f -t 0`: Docker's rm has no -t, refuses the whole command, and the helper slept on for a day with the
        // volumes mounted.
        await _cli.TryRunAsync(TimeSpan.FromMinutes(1), CancellationToken.None, "kill", Name).ConfigureAwait(false);
        await _cli.TryRunAsync(TimeSpan.FromMinutes(1), CancellationToken.None, "rm", "-f", Name).ConfigureAwait(false);
        if (!_process.HasExited)
        {
            ContainerCli.Kill(_process);
        }

        _process.Dispose();
    }
}
