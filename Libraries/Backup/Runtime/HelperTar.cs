using System.Globalization;

namespace DendriteAspire.Backup.Runtime;

/// <summary>
/// How a directory of the backup's helper container comes out of it as a tar whose names start with the directory's name.
/// <list type="bullet">
/// <item>Podman: <c>podman cp CONTAINER:PATH -</c>. The CLI builds the tar itself as a child of the backup, so in the
/// backup's CPU and I/O classes and on its cores, for about a third of the CPU of a <c>tar</c> through <c>exec</c>'s
/// attach stream (podman 4.3, 1 GiB of media: 2.7 s against 7.6 s).</item>
/// <item>Docker: its <c>cp</c> asks the daemon, which reads the volume and builds the tar itself, at normal priority on
/// every core, out of the backup's reach (measured: Dendrite's <c>/sync</c> p50 +69% during backups). So the helper's
/// own <c>tar</c>, started by its shell on a line from this process (<see cref="HelperContainer.WriteIntoPipeAsync"/>:
/// no <c>exec</c>), writes into a <see cref="NamedPipe"/> on a bind mount, which this process reads: no daemon touches
/// the bytes, and the tar runs in the helper's cgroup, which gets the lowest CPU weight and the backup's cores once the
/// pause is over (<see cref="StepBackAsync"/>), in the idle CPU and I/O classes where the image has <c>chrt</c> and
/// <c>ionice</c>. Where such a pipe does not reach this process (Docker Desktop's VM, a daemon on another machine, a
/// remapped root that may not open it) a probe line after the pause finds out, and it is <c>docker cp</c>, said in the
/// progress.</item>
/// </list>
/// </summary>
internal sealed class HelperTar
{
    /// <summary>Where the pipes' directory is mounted in the helper.</summary>
    internal const string PipeMount = "/pipe";

    /// <summary>The writer in the helper: <c>$1</c> the pipe, <c>$2</c> the directory, <c>$3</c> the name in it to archive.</summary>
    internal const string WriterScript = """
        p="$1"; test -p "$p" || { echo "$p is not a named pipe in the container" >&2; exit 3; }
        set -- tar -c -C "$2" "$3"
        if ionice -c 3 true 2>/dev/null; then set -- ionice -c 3 "$@"; fi
        if chrt -i 0 true 2>/dev/null; then set -- chrt -i 0 "$@"; fi
        exec "$@" > "$p"
        """;

    private static readonly TimeSpan ProbeWait = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan OpenWait = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Short = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Long = TimeSpan.FromHours(6);
    private readonly ContainerCli _cli;
    private readonly HelperContainer _helper;
    private readonly string? _pipes;
    private int _streams;

    private HelperTar(ContainerCli cli, HelperContainer helper, string? pipes)
    {
        _cli = cli;
        _helper = helper;
        _pipes = pipes;
    }

    /// <summary>
    /// The helper's mount for the pipes (Docker on Linux): a directory of its own under <paramref name="scratch"/>, only
    /// this user's; else none.
    /// </summary>
    public static (string[] Mounts, string? Pipes) Mount(ContainerCli cli, string scratch)
    {
        ArgumentNullException.ThrowIfNull(cli);
        if (cli.Name != "docker" || !OperatingSystem.IsLinux())
        {
            return ([], null);
        }

        var pipes = Path.Combine(scratch, "pipes");
        Directory.CreateDirectory(pipes, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return (["-v", $"{pipes}:{PipeMount}"], pipes);
    }

    /// <summary>
    /// For the running helper <paramref name="helper"/>: pipes when <paramref name="pipes"/> is mounted and a probe
    /// through one arrives here, else the runtime's <c>cp</c> (and the progress says why).
    /// </summary>
    public static async Task<HelperTar> ConnectAsync(ContainerCli cli, HelperContainer helper, string? pipes, Action<string> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cli);
        ArgumentNullException.ThrowIfNull(helper);
        ArgumentNullException.ThrowIfNull(progress);
        if (pipes is null)
        {
            return new HelperTar(cli, helper, null);
        }

        string why;
        try
        {
            var said = "";
            var exit = await NamedPipe.ReadAsync(NamedPipe.Create(pipes, "probe"),
                ct => helper.WriteIntoPipeAsync($"{PipeMount}/probe", null, null, ct), ProbeWait,
                async (stream, ct) =>
                {
                    using var reader = new StreamReader(stream, leaveOpen: true);
                    said = await reader.ReadToEndAsync(ct).ConfigureAwait(false);
                }, cancellationToken).ConfigureAwait(false);
            if (exit.ExitCode == 0 && said.Trim() == "reached")
            {
                progress("the volumes stream from the helper's tar through a named pipe (Docker's daemon never relays them)");
                return new HelperTar(cli, helper, pipes);
            }

            why = exit.ExitCode == 0 ? $"it read '{said.Trim()}'" : string.Create(CultureInfo.InvariantCulture, $"exit {exit.ExitCode}: {ContainerCli.LastLines(exit.Errors)}");
        }
        catch (Exception e) when (e is PipeNotReachedException or BackupFailedException)
        {
            why = e.Message;
        }

        progress($"the volumes come out through `docker cp`, which Docker's daemon runs at normal priority: a named pipe does not reach the helper here ({why})");
        return new HelperTar(cli, helper, null);
    }

    /// <summary>
    /// Once the pause is over: the helper, whose tar streams the volumes, gets the lowest CPU weight and
    /// <paramref name="cores"/> (the backup's; empty: any). Only with pipes; the runtime's <c>cp</c> never runs in it.
    /// </summary>
    public async Task StepBackAsync(IReadOnlyList<int> cores, Action<string> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cores);
        ArgumentNullException.ThrowIfNull(progress);
        if (_pipes is null)
        {
            return;
        }

        string[] where = cores.Count > 0 ? ["--cpuset-cpus", string.Join(',', cores.Select(c => c.ToString(CultureInfo.InvariantCulture)))] : [];
        var (code, output, errors) = await _cli.TryRunAsync(Short, cancellationToken, ["update", "--cpu-shares", "2", .. where, _helper.Name]).ConfigureAwait(false);
        progress(code == 0
            ? "the helper's tar runs at the lowest CPU weight" + (cores.Count > 0 ? " on " + CoreConfinement.Describe(cores) : "")
            : $"the helper keeps its CPU weight (`docker update` refused: {ContainerCli.LastLines(errors + output)})");
    }

    /// <summary>The tar of <paramref name="directory"/>/<paramref name="volume"/> in the helper, handed to <paramref name="read"/>.</summary>
    public async Task ReadAsync(string directory, string volume, Func<Stream, CancellationToken, Task> read, CancellationToken cancellationToken)
    {
        if (_pipes is null)
        {
            await _cli.ReadOutputAsync(Long, read, cancellationToken, "cp", $"{_helper.Name}:{directory}/{volume}", "-").ConfigureAwait(false);
            return;
        }

        var name = string.Create(CultureInfo.InvariantCulture, $"{volume}-{++_streams}");
        var path = NamedPipe.Create(_pipes, name);
        try
        {
            var exit = await NamedPipe.ReadAsync(path,
                ct => _helper.WriteIntoPipeAsync($"{PipeMount}/{name}", directory, volume, ct), OpenWait, read,
                cancellationToken).ConfigureAwait(false);
            if (exit.ExitCode != 0 && !(exit.ExitCode == 1 && Tolerable(volume, exit.Errors)))
            {
                throw new BackupFailedException(string.Create(CultureInfo.InvariantCulture,
                    $"`tar -c -C {directory} {volume}` in the helper container {_helper.Name} exited {exit.ExitCode}: {ContainerCli.LastLines(exit.Errors)}"));
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// Tar's exit 1 with only these warnings: a file that changed while read (a thumbnail being written; the databases
    /// know it only once written), or an upload in progress that ended meanwhile (<c>media/tmp</c>, never archived).
    /// </summary>
    internal static bool Tolerable(string volume, string errors) =>
        errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } lines
        && lines.All(line => line.Contains("changed as we read it", StringComparison.Ordinal)
            || line.Contains("removed before we read it", StringComparison.Ordinal)
            || (volume == ServerVolumes.Media && line.Contains($"{ServerVolumes.Media}/{UploadsInProgress}/", StringComparison.Ordinal)));

    /// <summary>Dendrite's directory for uploads being received, in the media volume (<c>createTempDir</c> in mediaapi/fileutils).</summary>
    internal const string UploadsInProgress = "tmp";
}
