using System.Diagnostics;
using DendriteAspire.Backup.Runtime;

namespace DendriteAspire.Backup.Tests;

/// <summary>
/// The idle CPU class a local backup runs in once Dendrite's pause is over: a thread that enters it is in it, and a
/// process it starts (the runtime's <c>cp</c>) inherits it. Each case runs on a thread of its own that ends with the
/// case: the class cannot be left again, and the test host's own threads must stay as they are.
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
