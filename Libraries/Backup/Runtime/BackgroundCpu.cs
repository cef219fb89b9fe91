using System.Globalization;
using System.Runtime.InteropServices;

namespace DendriteAspire.Backup.Runtime;

/// <summary>
/// Lets a backup on the machine Dendrite runs on take only the CPU and disk Dendrite does not want. On Linux every thread
/// of this process goes into the <c>SCHED_IDLE</c> scheduling class and the idle I/O class, and so does every thread and
/// process started afterwards (they inherit both): the runtime's <c>cp</c> streaming the volumes, zstd's workers, the
/// read-back, the archive's writes to the disk (<see cref="Archive.WriteBehind"/> starts them in this process).
/// </summary>
/// <remarks>
/// Why this and not <c>nice</c>: Dendrite runs in its container's cgroup and the backup in the user's session, and a nice
/// value only orders threads inside one group (measured: <c>nice -n 19</c> changed nothing). <c>SCHED_IDLE</c> acts where
/// latency is made, whatever the groups: a waking thread of Dendrite preempts an idle-class thread at once, and a core
/// running only idle-class threads counts as free when the kernel places the wakeup. When both cores are busy with
/// Dendrite's own work the backup waits; when they are not it runs at full speed. A thread may not leave the class again
/// without <c>CAP_SYS_NICE</c>, so this is only for a process of its own (the Admin CLI's <c>backup</c>), never inside
/// the AppHost. Elsewhere (macOS, Windows, a kernel that refuses) it does nothing and says why.
/// </remarks>
public static class BackgroundCpu
{
    private const int SchedIdle = 5;

    /// <summary>Puts this process into the idle scheduling class; null when done, else why not (the backup runs on regardless).</summary>
    public static string? TryEnter()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "only Linux has an idle scheduling class";
        }

        string[] threads;
        try
        {
            threads = Directory.GetDirectories("/proc/self/task");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot list this process's threads: {e.Message}";
        }

        // A thread started while this loop runs inherits the class of the thread that started it, so a second pass
        // catches one started by a thread the first pass had not reached yet.
        string? problem = null;
        for (var pass = 0; pass < 2; pass++)
        {
            foreach (var thread in pass == 0 ? threads : Directory.GetDirectories("/proc/self/task"))
            {
                if (!int.TryParse(Path.GetFileName(thread), NumberStyles.None, CultureInfo.InvariantCulture, out var tid))
                {
                    continue;
                }

                // ESRCH: the thread ended between the listing and the call.
                if (TryEnterThread(tid) is { } errno && errno != 3)
                {
                    problem ??= string.Create(CultureInfo.InvariantCulture, $"sched_setscheduler(SCHED_IDLE) failed with errno {errno}");
                }

                // The idle I/O class matters only where the kernel's I/O scheduler honours it (mq-deadline, bfq), so a
                // refusal here is not worth a word.
                TrySetIdleIo(tid);
            }
        }

        return problem;
    }

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
