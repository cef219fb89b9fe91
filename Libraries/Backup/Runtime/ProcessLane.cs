using System.Collections.Concurrent;
using System.Diagnostics;

namespace DendriteAspire.Backup.Runtime;

/// <summary>
/// A thread of its own that starts processes, so they inherit its scheduling classes rather than the asking thread's:
/// on Linux a child takes its CPU and I/O class from the thread that forks it. <see cref="BackgroundCpu"/> keeps one at
/// normal priority in a process that is otherwise idle (the Admin CLI), or one in the idle classes in a process that
/// keeps its own priority (the AppHost).
/// </summary>
internal sealed class ProcessLane : IDisposable
{
    private readonly BlockingCollection<(ProcessStartInfo Start, TaskCompletionSource<Process?> Started)> _requests = new();
    private readonly Thread _thread;
    private int _disposed;

    private ProcessLane(bool idle, string name)
    {
        var ready = new TaskCompletionSource<(int, string?)>(TaskCreationOptions.RunContinuationsAsynchronously);
        _thread = new Thread(() =>
        {
            string? problem = null;
            if (idle)
            {
                problem = BackgroundCpu.TryEnterThread(0) is { } errno ? BackgroundCpu.EnterFailed(errno) : null;
                BackgroundCpu.TrySetIdleIo(0);
            }
            else if (OperatingSystem.IsLinux())
            {
                // .NET reaps child processes on a signal-handling thread it creates on first use; created here, it keeps
                // this thread's priority, so a pause's `unpause` is never waited for behind the backup's own work.
                using (System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGCONT, _ => { }))
                {
                }
            }

            ready.SetResult((BackgroundCpu.CurrentThreadId(), problem));
            foreach (var (start, started) in _requests.GetConsumingEnumerable())
            {
                try
                {
                    started.SetResult(Process.Start(start));
                }
                catch (Exception e)
                {
                    started.SetException(e);
                }
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        _thread.Start();
        (ThreadId, Problem) = ready.Task.GetAwaiter().GetResult();
    }

    /// <summary>The lane's thread id (Linux's tid).</summary>
    public int ThreadId { get; }

    /// <summary>Null when the lane is in the classes asked for, else why not.</summary>
    public string? Problem { get; }

    /// <summary>A lane at normal priority (the pause lane), or one in the idle CPU and I/O classes.</summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public static ProcessLane Start(bool idle) => new(idle, idle ? "backup idle lane" : "backup pause lane");

    /// <summary>Starts <paramref name="start"/> on the lane; once the lane is disposed, where it is called.</summary>
    public Process? Launch(ProcessStartInfo start)
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            return Process.Start(start);
        }

        var started = new TaskCompletionSource<Process?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _requests.Add((start, started));
        return started.Task.GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _requests.CompleteAdding();
        _thread.Join();
        _requests.Dispose();
    }
}
