using System.Diagnostics;

namespace DendriteAspire.Backup.Runtime;

/// <summary>
/// The one-off container a backup reads the volumes through (read-only mounts, no network). It is started attached and
/// takes its work as lines on its standard input: the copy during Dendrite's pause costs only the copy itself (no
/// <c>exec</c>, most of a second with podman, inside the pause), and each tar into a named pipe after it costs no
/// <c>exec</c> either (with Docker about 0.18 CPU-s of the daemons' and runc's each, at normal priority). It ends when
/// this process closes its standard input, or dies.
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

    /// <summary>A helper already running as <paramref name="process"/> (<see cref="Script"/> attached to its standard streams).</summary>
    internal static HelperContainer Attach(ContainerCli cli, Process process, string name) => new(cli, process, name);

    /// <summary>
    /// Starts it with the volumes mounted (through <paramref name="start"/>: its copy runs inside Dendrite's pause, so at
    /// normal priority); returns once it runs and waits for the word to copy <paramref name="frozen"/> into /snap.
    /// </summary>
    public static async Task<HelperContainer> StartAsync(ContainerCli cli, ContainerCli start, string name, string[] mounts, string image, IReadOnlyList<string> frozen, CancellationToken cancellationToken)
    {
        var process = start.StartInteractive(["run", "-i", "--rm", "--name", name, "--network", "none", "--entrypoint", "sh", .. mounts, image, "-c", Script(frozen)]);
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

    /// <summary>
    /// Has the helper's shell write a tar of <paramref name="directory"/>/<paramref name="entry"/> into the named pipe
    /// <paramref name="pipe"/> (<see cref="HelperTar.WriterScript"/>; null <paramref name="directory"/>: a probe line
    /// only), after the copy; returns once it has ended, with its exit code and what it printed on standard error.
    /// One at a time; a cancelled call leaves the helper to be disposed.
    /// </summary>
    public async Task<PipeWriterExit> WriteIntoPipeAsync(string pipe, string? directory, string? entry, CancellationToken cancellationToken)
    {
        await _process.StandardInput.WriteLineAsync(directory is null ? $"probe {pipe}" : $"tar {pipe} {directory} {entry}").ConfigureAwait(false);
        await _process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
        var errors = new System.Text.StringBuilder();
        while (true)
        {
            var line = await ReadLineAsync(TimeSpan.FromHours(6), cancellationToken).ConfigureAwait(false);
            if (line.StartsWith("ended ", StringComparison.Ordinal) && int.TryParse(line.AsSpan(6), System.Globalization.CultureInfo.InvariantCulture, out var code))
            {
                return new PipeWriterExit(code, errors.ToString());
            }

            if (!line.StartsWith('!'))
            {
                throw new BackupFailedException($"the helper container {Name} answered '{line}' to a tar");
            }

            errors.AppendLine(line[1..].Trim());
        }
    }

    /// <summary>
    /// The helper's shell: says <c>ready</c>, copies <paramref name="frozen"/> into /snap on the line <c>go</c> (the
    /// pause), then runs one line at a time, <c>tar PIPE DIRECTORY ENTRY</c> or <c>probe PIPE</c>, each answered by its
    /// standard error's lines after <c>!</c> and <c>ended CODE</c>, until its standard input closes.
    /// </summary>
    internal static string Script(IReadOnlyList<string> frozen)
    {
        var copy = frozen.Count == 0 ? "true" : "mkdir -p /snap && cp -a " + string.Join(' ', frozen.Select(v => $"/v/{v}")) + " /snap/";
        return $$"""
            write_tar() {
            {{HelperTar.WriterScript}}
            }
            echo ready; read go; if {{copy}}; then echo copied; else echo failed; fi
            while read -r command pipe directory entry; do
              case "$command" in
                tar) ( write_tar "$pipe" "$directory" "$entry" ) 2>"${TMPDIR:-/tmp}/tar-errors"; code=$?; sed 's/^/! /' "${TMPDIR:-/tmp}/tar-errors"; echo "ended $code" ;;
                probe) if test -p "$pipe"; then echo reached > "$pipe"; echo "ended 0"; else echo "! $pipe is not a named pipe in the container"; echo "ended 3"; fi ;;
                *) echo "! unknown command $command"; echo "ended 2" ;;
              esac
            done
            """;
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
        // kill (SIGKILL for both runtimes: its shell, pid 1 in the container, ignores SIGTERM), then rm for what --rm has not removed yet. Not
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
