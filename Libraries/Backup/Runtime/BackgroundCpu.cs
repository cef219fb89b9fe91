using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace DendriteAspire.Backup.Runtime;

/// <summary>
/// Lets a backup on the machine Dendrite runs on take only the CPU and disk Dendrite does not want. On Linux every thread
/// of this process goes into the <c>SCHED_IDLE</c> scheduling class and the idle I/O class, and so does every thread and
/// process started afterwards (they inherit both): the runtime commands that list and start things, the runtime's
/// <c>cp</c> streaming the volumes, zstd's workers, the read-back, the archive's writes to the disk
/// (<see cref="Archive.WriteBehind"/> starts them in this process). One thread stays out of it, the <em>pause lane</em>:
/// the processes the pause depends on (the helper container whose <c>cp</c> runs inside the pause, the <c>psql</c>
/// session that exports the Postgres snapshot, <c>pause</c> and <c>unpause</c>) are started from it (<see cref="StartUrgent"/>),
/// so nothing the family's server waits on while it is paused ever waits behind other work. The rest also keeps to the
/// upper half of the cores (<see cref="CoreConfinement"/>), so Dendrite always finds cores the backup's zstd and hashing
/// are not churning.
/// </summary>
/// <remarks>
/// Why this and not <c>nice</c>: Dendrite runs in its container's cgroup and the backup in the user's session, and a nice
/// value only orders threads inside one group (measured: <c>nice -n 19</c> changed nothing). <c>SCHED_IDLE</c> acts where
/// latency is made, whatever the groups: a waking thread of Dendrite preempts an idle-class thread at once, and a core
/// running only idle-class threads counts as free when the kernel places the wakeup. When both cores are busy with
/// Dendrite's own work the backup waits; when they are not it runs as fast as its cores go. A thread may not leave the class again
/// without <c>CAP_SYS_NICE</c>, so this is only for a process of its own (the Admin CLI's <c>backup</c>), never inside
/// the AppHost, which uses <see cref="EnterInHost()"/> instead. Elsewhere (macOS, Windows, a kernel that refuses) it does
/// nothing, says why, and processes start where they are asked for.
/// </remarks>
public sealed class BackgroundCpu : IDisposable
{
    private const int SchedIdle = 5;
    private readonly ProcessLane? _lane;
    private readonly bool _wholeProcess;

    private BackgroundCpu(ProcessLane? lane, bool wholeProcess, string? problem)
    {
        _lane = lane;
        _wholeProcess = wholeProcess;
        Problem = problem;
    }

    /// <summary>Null when the backup is in the idle classes (the whole process, or what it starts), else why not (it runs on regardless).</summary>
    public string? Problem { get; }

    /// <summary>The lane's thread id (Linux's tid): the pause lane, or the idle lane in a host; 0 when there is none.</summary>
    public int LaneThreadId => _lane?.ThreadId ?? 0;

    /// <summary>The cores the backup keeps to; null when it is not confined.</summary>
    public CoreConfinement? Confinement { get; private set; }

    /// <summary>
    /// For a process of the backup's own (the Admin CLI): starts the pause lane (a thread kept at normal priority), then
    /// puts every other thread of this process into the idle CPU and I/O classes on the upper half of the cores.
    /// </summary>
    public static BackgroundCpu Enter() => Enter(ProcessThreads);

    /// <summary>
    /// For a backup inside a process that keeps its own priority (the AppHost: a thread cannot leave the idle class):
    /// the runtime commands the backup starts (listing, <c>cp</c> streaming the volumes, <c>pg_dump</c>) start from a
    /// lane in the idle CPU and I/O classes, what the pause waits on starts at normal priority, and the whole process
    /// keeps to the upper half of the cores until <see cref="Dispose"/> gives them back. The backup's own compression
    /// and hashing run at normal priority.
    /// </summary>
    public static BackgroundCpu EnterInHost() => EnterInHost(ProcessThreads);

    /// <summary>As <see cref="Enter()"/>, over the threads <paramref name="threads"/> lists (tests give their own).</summary>
    internal static BackgroundCpu Enter(Func<IEnumerable<int>> threads)
    {
        if (!OperatingSystem.IsLinux())
        {
            return new BackgroundCpu(null, true, "only Linux has an idle scheduling class");
        }

        var background = new BackgroundCpu(ProcessLane.Start(idle: false), true, null);
        try
        {
            if (background.Sweep(threads) is { } problem)
            {
                return background.Without(problem);
            }

            background.Confinement = CoreConfinement.Enter(threads, background.LaneThreadId);
            return background;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return background.Without($"cannot list this process's threads: {e.Message}");
        }
    }

    /// <summary>As <see cref="EnterInHost()"/>, over the threads <paramref name="threads"/> lists (tests give their own).</summary>
    internal static BackgroundCpu EnterInHost(Func<IEnumerable<int>> threads)
    {
        if (!OperatingSystem.IsLinux())
        {
            return new BackgroundCpu(null, false, "only Linux has an idle scheduling class");
        }

        var lane = ProcessLane.Start(idle: true);
        if (lane.Problem is { } problem)
        {
            lane.Dispose();
            return new BackgroundCpu(null, false, problem);
        }

        return new BackgroundCpu(lane, false, null) { Confinement = CoreConfinement.Enter(threads, 0) };
    }

    /// <summary>Starts one of the backup's runtime commands: in a host, from the idle lane; else where it is called.</summary>
    public Process? Start(ProcessStartInfo start)
    {
        ArgumentNullException.ThrowIfNull(start);
        return _lane is not null && !_wholeProcess ? _lane.Launch(start) : Process.Start(start);
    }

    /// <summary>Starts what Dendrite's pause waits on, at normal priority: in the Admin CLI from the pause lane; in a host where it is called.</summary>
    public Process? StartUrgent(ProcessStartInfo start)
    {
        ArgumentNullException.ThrowIfNull(start);
        return _lane is not null && _wholeProcess ? _lane.Launch(start) : Process.Start(start);
    }

    /// <summary>What the backup runs as, for its progress lines.</summary>
    public string Describe()
    {
        var cores = Confinement is { Cores.Count: > 0 } confined ? CoreConfinement.Describe(confined.Cores) : null;
        return Problem is { } why ? $"the backup runs at normal CPU priority: {why}"
            : _wholeProcess ? $"the backup runs in the idle CPU and I/O classes{(cores is null ? "" : " on " + cores)} (Dendrite's requests come first); the pause and what it waits on keep normal priority"
            : "the runtime commands the backup starts run in the idle CPU and I/O classes"
                + (cores is null ? "" : $", and this process keeps to {cores} until the backup ends")
                + "; its own compression and hashing run at normal priority";
    }

    /// <summary>Ends the lane and gives back the cores; processes started afterwards start where they are called.</summary>
    public void Dispose()
    {
        _lane?.Dispose();
        Confinement?.Dispose();
    }

    private BackgroundCpu Without(string problem)
    {
        Dispose();
        return new BackgroundCpu(null, _wholeProcess, problem);
    }

    /// <summary>Every thread but the lane and .NET's signal thread into the idle classes; null when done, else why not.</summary>
    private string? Sweep(Func<IEnumerable<int>> threads)
    {
        var keep = new HashSet<int> { LaneThreadId };
        keep.UnionWith(threads().Where(IsSignalThread));

        // A thread started while this loop runs inherits the class of the thread that started it, so a second pass
        // catches one started by a thread the first pass had not reached yet.
        string? problem = null;
        for (var pass = 0; pass < 2; pass++)
        {
            foreach (var tid in threads().Where(t => !keep.Contains(t)))
            {
                // ESRCH: the thread ended between the listing and the call.
                if (TryEnterThread(tid) is { } errno && errno != 3)
                {
                    problem ??= EnterFailed(errno);
                }

                // The idle I/O class matters only where the kernel's I/O scheduler honours it (mq-deadline, bfq), so a
                // refusal here is not worth a word.
                TrySetIdleIo(tid);
            }
        }

        return problem;
    }

    /// <summary>This process's threads (Linux's tids).</summary>
    internal static IEnumerable<int> ProcessThreads() =>
        Directory.GetDirectories("/proc/self/task")
            .Select(t => int.TryParse(Path.GetFileName(t), NumberStyles.None, CultureInfo.InvariantCulture, out var tid) ? tid : 0)
            .Where(t => t > 0);

    private static bool IsSignalThread(int tid)
    {
        try
        {
            return File.ReadAllText($"/proc/self/task/{tid.ToString(CultureInfo.InvariantCulture)}/comm").Trim() == ".NET SigHandler";
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The calling thread's id (Linux's tid), from <c>/proc/thread-self</c>.</summary>
    internal static int CurrentThreadId() =>
        int.Parse(Path.GetFileName(new FileInfo("/proc/thread-self").LinkTarget ?? throw new IOException("/proc/thread-self is not a link")),
            NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>Why a thread is not in the idle class.</summary>
    internal static string EnterFailed(int errno) => string.Create(CultureInfo.InvariantCulture, $"sched_setscheduler(SCHED_IDLE) failed with errno {errno}");

    /// <summary>Puts one thread (0: the calling one) into the idle class; null when done, else the errno.</summary>
    internal static int? TryEnterThread(int tid)
    {
        var priority = 0;
        return SchedSetScheduler(tid, SchedIdle, ref priority) == 0 ? null : Marshal.GetLastPInvokeError();
    }

    /// <summary>Puts one thread (0: the calling one) into the idle I/O class; false when the kernel refused or the architecture is not known.</summary>
    internal static bool TrySetIdleIo(int tid)
    {
        // ioprio_set(IOPRIO_WHO_PROCESS, tid, IOPRIO_PRIO_VALUE(IOPRIO_CLASS_IDLE, 0)); no libc wrapper exists.
        long number = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => 251,
            Architecture.Arm64 => 30,
            _ => -1,
        };
        return number > 0 && Syscall(number, 1, tid, 3 << 13) == 0;
    }

    /// <summary>The I/O class of the calling thread (ioprio_get's class: 0 none, 1 real-time, 2 best effort, 3 idle), or -1.</summary>
    internal static int CurrentThreadIoClass()
    {
        long number = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => 252,
            Architecture.Arm64 => 31,
            _ => -1,
        };
        return number > 0 && Syscall(number, 1, 0, 0) is var value and >= 0 ? (int)(value >> 13) : -1;
    }

    /// <summary>True when the calling thread is in the idle scheduling class (Linux); false elsewhere.</summary>
    public static bool IsCurrentThreadIdle() => OperatingSystem.IsLinux() && SchedGetScheduler(0) == SchedIdle;

    /// <summary>True when thread <paramref name="tid"/> is in the idle scheduling class (Linux); false elsewhere.</summary>
    internal static bool IsThreadIdle(int tid) => OperatingSystem.IsLinux() && SchedGetScheduler(tid) == SchedIdle;

    // DllImport rather than LibraryImport: its generated marshalling needs unsafe code in the project, for one int.
    [DllImport("libc", EntryPoint = "sched_setscheduler", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SchedSetScheduler(int pid, int policy, ref int priority);

    [DllImport("libc", EntryPoint = "syscall", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern long Syscall(long number, long who, long id, long value);

    [DllImport("libc", EntryPoint = "sched_getscheduler", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SchedGetScheduler(int pid);
}
