using System.Globalization;
using System.Runtime.InteropServices;

namespace DendriteAspire.Backup.Runtime;

/// <summary>
/// Keeps a backup beside the running server to part of the machine's cores, so Dendrite always finds cores whose caches
/// and memory bandwidth the backup's zstd and hashing are not churning: on Linux every thread of this process, and
/// every thread and process started while it lasts (they inherit it), runs on the upper half of the cores this process
/// may use (at least one; nothing happens with fewer than two). Unlike the idle CPU class this can be undone, so the
/// AppHost's backups use it too (<see cref="BackgroundCpu.EnterInHost()"/>) and its threads get their cores back afterwards.
/// </summary>
/// <remarks>
/// Measured (bench/RESULTS.md, issue 20): on 2 cores, CPU- and memory-heavy work in the idle CPU class on both cores
/// (zstd and sha256sum, no I/O) still raised Dendrite's <c>/sync</c> p50 by about a third; the class decides who runs,
/// not what the other core's work does to the one Dendrite runs on.
/// </remarks>
public sealed class CoreConfinement : IDisposable
{
    private const int MaskWords = 16; // glibc's cpu_set_t: 1024 CPUs
    private readonly ulong[]? _original;
    private readonly Func<IEnumerable<int>> _threads;
    private int _disposed;

    private CoreConfinement(ulong[]? original, ulong[]? confined, Func<IEnumerable<int>> threads, string? problem)
    {
        _original = original;
        _threads = threads;
        Cores = confined is null ? [] : CoresOf(confined);
        Problem = problem;
    }

    /// <summary>The cores the backup keeps to; empty when it is not confined.</summary>
    public IReadOnlyList<int> Cores { get; }

    /// <summary>Null when confined, else why not (the backup runs on regardless).</summary>
    public string? Problem { get; }

    /// <summary>Confines the threads <paramref name="threads"/> lists (but <paramref name="except"/>, the pause lane) to the upper half of this process's cores.</summary>
    internal static CoreConfinement Enter(Func<IEnumerable<int>> threads, int except)
    {
        if (!OperatingSystem.IsLinux())
        {
            return new CoreConfinement(null, null, threads, "only Linux is done here");
        }

        var original = new ulong[MaskWords];
        if (SchedGetAffinity(0, MaskWords * sizeof(ulong), original) != 0)
        {
            return new CoreConfinement(null, null, threads, string.Create(CultureInfo.InvariantCulture, $"sched_getaffinity failed with errno {Marshal.GetLastPInvokeError()}"));
        }

        var allowed = CoresOf(original);
        if (allowed.Count < 2)
        {
            return new CoreConfinement(null, null, threads, "this process may use one core only");
        }

        var confined = new ulong[MaskWords];
        foreach (var core in allowed.Skip(allowed.Count - (allowed.Count / 2)))
        {
            confined[core / 64] |= 1UL << (core % 64);
        }

        if (Apply(threads, confined, except) is { } problem)
        {
            // Half done is not done: every thread gets its cores back.
            Apply(threads, original, 0);
            return new CoreConfinement(null, null, threads, problem);
        }

        return new CoreConfinement(original, confined, threads, null);
    }

    /// <summary>Gives every thread of this process the cores it had before (threads started meanwhile included).</summary>
    public void Dispose()
    {
        if (_original is not null && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Apply(_threads, _original, 0);
        }
    }

    private static string? Apply(Func<IEnumerable<int>> threads, ulong[] mask, int except)
    {
        // A thread started while this runs inherits the mask of the thread that started it: a second pass catches it.
        string? problem = null;
        for (var pass = 0; pass < 2; pass++)
        {
            foreach (var tid in threads().Where(t => t != except))
            {
                // ESRCH: the thread ended between the listing and the call.
                if (SchedSetAffinity(tid, MaskWords * sizeof(ulong), mask) != 0 && Marshal.GetLastPInvokeError() is var errno && errno != 3)
                {
                    problem ??= string.Create(CultureInfo.InvariantCulture, $"sched_setaffinity failed with errno {errno}");
                }
            }
        }

        return problem;
    }

    /// <summary>"core 1", "cores 2, 3".</summary>
    internal static string Describe(IReadOnlyList<int> cores) => (cores.Count == 1 ? "core " : "cores ") + string.Join(", ", cores.Select(c => c.ToString(CultureInfo.InvariantCulture)));

    private static List<int> CoresOf(ulong[] mask) =>
        Enumerable.Range(0, mask.Length * 64).Where(core => (mask[core / 64] & (1UL << (core % 64))) != 0).ToList();

    /// <summary>The cores thread <paramref name="tid"/> (0: the calling one) may run on; empty when unknown.</summary>
    internal static IReadOnlyList<int> CoresOfThread(int tid)
    {
        var mask = new ulong[MaskWords];
        return OperatingSystem.IsLinux() && SchedGetAffinity(tid, MaskWords * sizeof(ulong), mask) == 0 ? CoresOf(mask) : [];
    }

    [DllImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SchedSetAffinity(int pid, nint size, ulong[] mask);

    [DllImport("libc", EntryPoint = "sched_getaffinity", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SchedGetAffinity(int pid, nint size, ulong[] mask);
}
