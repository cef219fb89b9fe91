using System.Diagnostics;
using DendriteAspire.Backup.Runtime;

namespace DendriteAspire.Backup.Tests;

/// <summary>
/// The idle CPU class a local backup runs in: a thread that enters it is in it, and a process it starts (the runtime's
/// <c>cp</c>) inherits it; the pause lane stays out and starts its processes at normal priority. Each case runs on
/// threads of its own that end with the case: the class cannot be left again, and the test host's own threads must stay
/// as they are.
/// </summary>
public sealed class BackgroundCpuTests
{
    [Fact]
    public void AThreadInTheIdleClass_StartsItsProcessesInIt_AnotherThreadDoesNot()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "the idle scheduling class is Linux's");
        var (idle, idleChild, idleIo) = OnOwnThread(enter: true);
        var (normal, normalChild, normalIo) = OnOwnThread(enter: false);

        Assert.True(idle, "the thread did not enter SCHED_IDLE");
        Assert.Equal(3, idleIo);
        Assert.NotEqual(3, normalIo);
        // Field 41 of /proc/PID/stat is the scheduling policy: 5 is SCHED_IDLE, 0 SCHED_OTHER.
        Assert.Equal("5", idleChild);
        Assert.False(normal);
        Assert.Equal("0", normalChild);
        Assert.False(BackgroundCpu.IsCurrentThreadIdle());
    }

    [Fact]
    public void Enter_PutsTheThreadsInTheIdleClasses_ThePauseLaneAndWhatItStartsStayNormal()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "the idle scheduling class is Linux's");
        using var workers = new Workers(2);
        // The process's threads, as Enter sees them: the two workers and the lane it starts (Linux keeps 15 characters of a name).
        using var background = BackgroundCpu.Enter(() => workers.ThreadIds.Concat(ThreadsNamed("backup pause la")));

        Assert.Null(background.Problem);
        Assert.NotEqual(0, background.LaneThreadId);
        Assert.False(BackgroundCpu.IsThreadIdle(background.LaneThreadId), "the pause lane entered the idle class");
        Assert.All(workers.ThreadIds, tid => Assert.True(BackgroundCpu.IsThreadIdle(tid), $"thread {tid} is not in the idle class"));
        var (ownPolicy, ownIo) = workers.Run(() => (ChildPolicy(Process.Start), BackgroundCpu.CurrentThreadIoClass()));
        var lanePolicy = workers.Run(() => ChildPolicy(background.StartUrgent));
        var restPolicy = workers.Run(() => ChildPolicy(background.Start));
        // Field 41 of /proc/PID/stat is the scheduling policy: 5 is SCHED_IDLE, 0 SCHED_OTHER.
        Assert.Equal("5", ownPolicy);
        Assert.Equal(3, ownIo);
        Assert.Equal("0", lanePolicy);
        Assert.Equal("5", restPolicy);
        Assert.False(BackgroundCpu.IsCurrentThreadIdle());

        // Once it is over, processes start where they are asked for (here: from an idle thread, so idle).
        background.Dispose();
        Assert.Equal("5", workers.Run(() => ChildPolicy(background.StartUrgent)));
    }

    [Fact]
    public void EnterInHost_LeavesTheHostsThreadsAlone_StartsTheRuntimeCommandsIdle_AndGivesTheCoresBack()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "the idle scheduling class is Linux's");
        var all = CoreConfinement.CoresOfThread(0);
        using var workers = new Workers(2);
        using (var background = BackgroundCpu.EnterInHost(() => workers.ThreadIds))
        {
            Assert.Null(background.Problem);
            Assert.All(workers.ThreadIds, tid => Assert.False(BackgroundCpu.IsThreadIdle(tid), $"the host's thread {tid} entered the idle class"));
            Assert.True(BackgroundCpu.IsThreadIdle(background.LaneThreadId), "the idle lane is not in the idle class");
            Assert.Equal("5", workers.Run(() => ChildPolicy(background.Start)));
            Assert.Equal("0", workers.Run(() => ChildPolicy(background.StartUrgent)));
            if (all.Count >= 2)
            {
                Assert.Equal(all.Skip(all.Count - (all.Count / 2)), CoreConfinement.CoresOfThread(workers.ThreadIds[0]));
            }
        }

        Assert.Equal(all, CoreConfinement.CoresOfThread(workers.ThreadIds[0]));
    }

    [Fact]
    public void CoreConfinement_KeepsTheThreadsAndTheirProcessesToTheUpperHalf_AndGivesTheCoresBack()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "thread affinity is done on Linux");
        var all = CoreConfinement.CoresOfThread(0);
        Assert.SkipWhen(all.Count < 2, "the test host may use one core only");
        // One worker each, so what a test hands to `workers` runs on the confined thread (Workers hands work to any of its threads).
        using var workers = new Workers(1);
        using var other = new Workers(1);
        var except = other.ThreadIds[0];

        using (var confined = CoreConfinement.Enter(() => workers.ThreadIds.Concat(other.ThreadIds), except))
        {
            Assert.Null(confined.Problem);
            Assert.Equal(all.Skip(all.Count - (all.Count / 2)), confined.Cores);
            Assert.Equal(confined.Cores, CoreConfinement.CoresOfThread(workers.ThreadIds[0]));
            Assert.Equal(all, CoreConfinement.CoresOfThread(except));
            // A process started by a confined thread is confined too (Linux lists them as "1" or "2-3").
            var childCores = workers.Run(() => ChildOutput(Process.Start, "grep Cpus_allowed_list /proc/self/status | cut -f2"));
            Assert.Equal(confined.Cores.Count == 1 ? $"{confined.Cores[0]}" : $"{confined.Cores[0]}-{confined.Cores[^1]}", childCores);
            Assert.Equal(all, CoreConfinement.CoresOfThread(0));
        }

        Assert.Equal(all, CoreConfinement.CoresOfThread(workers.ThreadIds[0]));
    }

    private static string ChildPolicy(Func<ProcessStartInfo, Process?> start) => ChildOutput(start, "cut -d ' ' -f 41 /proc/self/stat");

    private static string ChildOutput(Func<ProcessStartInfo, Process?> start, string script)
    {
        using var child = start(new ProcessStartInfo("sh", ["-c", script]) { RedirectStandardOutput = true })!;
        var output = child.StandardOutput.ReadToEnd().Trim();
        child.WaitForExit();
        return output;
    }

    // The test host's other threads come and go: one listed a moment ago may have ended before its name is read.
    private static IEnumerable<int> ThreadsNamed(string name) =>
        Directory.GetDirectories("/proc/self/task")
            .Where(t => NameOf(t) == name)
            .Select(t => int.Parse(Path.GetFileName(t), System.Globalization.CultureInfo.InvariantCulture));

    private static string? NameOf(string task)
    {
        try
        {
            return File.ReadAllText(Path.Combine(task, "comm")).Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Threads of the test's own that run what they are given, one thing at a time, and end with the test.</summary>
    private sealed class Workers : IDisposable
    {
        private readonly System.Collections.Concurrent.BlockingCollection<Action> _work = new();
        private readonly List<Thread> _threads = [];
        private readonly List<int> _ids = [];

        public Workers(int count)
        {
            for (var i = 0; i < count; i++)
            {
                using var started = new ManualResetEventSlim();
                var thread = new Thread(() =>
                {
                    lock (_ids)
                    {
                        _ids.Add(BackgroundCpu.CurrentThreadId());
                    }

                    started.Set();
                    foreach (var work in _work.GetConsumingEnumerable())
                    {
                        work();
                    }
                });
                thread.Start();
                started.Wait();
                _threads.Add(thread);
            }
        }

        public List<int> ThreadIds => _ids;

        public T Run<T>(Func<T> work)
        {
            var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            _work.Add(() =>
            {
                try
                {
                    done.SetResult(work());
                }
                catch (Exception e)
                {
                    done.SetException(e);
                }
            });
            return done.Task.GetAwaiter().GetResult();
        }

        public void Dispose()
        {
            _work.CompleteAdding();
            _threads.ForEach(t => t.Join());
            _work.Dispose();
        }
    }

    private static (bool Idle, string ChildPolicy, int IoClass) OnOwnThread(bool enter)
    {
        (bool, string, int) outcome = default;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                if (enter)
                {
                    Assert.Null(BackgroundCpu.TryEnterThread(0));
                    Assert.True(BackgroundCpu.TrySetIdleIo(0), "ioprio_set refused the idle I/O class");
                }

                using var child = Process.Start(new ProcessStartInfo("sh", ["-c", "cut -d ' ' -f 41 /proc/self/stat"]) { RedirectStandardOutput = true })!;
                var policy = child.StandardOutput.ReadToEnd().Trim();
                child.WaitForExit();
                outcome = (BackgroundCpu.IsCurrentThreadIdle(), policy, BackgroundCpu.CurrentThreadIoClass());
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        return failure is null ? outcome : throw new Xunit.Sdk.XunitException($"on its own thread: {failure}");
    }
}
