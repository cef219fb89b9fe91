using System.Globalization;

namespace DendriteAspire.Bench;

/// <summary>One process, read from /proc.</summary>
internal sealed record ProcessMemory(int Pid, string Name, long RssBytes);

/// <summary>Finds an AppHost's processes through /proc (Linux) and reads each one's resident set size.</summary>
internal static class ProcessTree
{
    /// <summary>
    /// The processes below <paramref name="rootPid"/> (not the root itself), plus DCP: DCP detaches from the AppHost
    /// (its parent becomes init) and watches it with <c>--monitor &lt;AppHost pid&gt;</c>, so it and its children (the
    /// controllers and the dashboard) are found by that argument.
    /// </summary>
    public static IReadOnlyList<ProcessMemory> AppHostProcesses(int rootPid)
    {
        var processes = Snapshot();
        var members = Subtree(processes, rootPid);
        var monitors = processes
            .Where(p => MonitoredPid(p.Value.Arguments) is { } watched && members.Contains(watched))
            .Select(p => p.Key)
            .ToList();
        foreach (var monitor in monitors)
        {
            members.UnionWith(Subtree(processes, monitor));
        }

        members.Remove(rootPid);
        return members
            .Select(pid => new ProcessMemory(pid, Name(processes[pid].Arguments), ReadRss(pid)))
            .Where(p => p.RssBytes > 0)
            .OrderBy(p => p.Pid)
            .ToList();
    }

    /// <summary>The direct and indirect children of the root, without the root.</summary>
    public static IReadOnlyList<ProcessMemory> Descendants(int rootPid)
    {
        var processes = Snapshot();
        var members = Subtree(processes, rootPid);
        members.Remove(rootPid);
        return members.Select(pid => new ProcessMemory(pid, Name(processes[pid].Arguments), ReadRss(pid))).ToList();
    }

    private static HashSet<int> Subtree(Dictionary<int, (int Parent, string[] Arguments)> processes, int rootPid)
    {
        var members = new HashSet<int> { rootPid };
        var queue = new Queue<int>([rootPid]);
        while (queue.TryDequeue(out var pid))
        {
            foreach (var child in processes.Where(p => p.Value.Parent == pid).Select(p => p.Key))
            {
                if (members.Add(child))
                {
                    queue.Enqueue(child);
                }
            }
        }

        return members;
    }

    private static Dictionary<int, (int Parent, string[] Arguments)> Snapshot()
    {
        var processes = new Dictionary<int, (int, string[])>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces, so parse after the last ')'.
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
                var arguments = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
                processes[pid] = (parent, arguments);
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours to read.
            }
        }

        return processes;
    }

    private static int? MonitoredPid(string[] arguments)
    {
        var index = Array.IndexOf(arguments, "--monitor");
        return index >= 0 && index + 1 < arguments.Length &&
            int.TryParse(arguments[index + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }

    /// <summary>"dotnet X.dll" reads as X.dll, "dcp run-controllers" as dcp run-controllers; otherwise the file name.</summary>
    private static string Name(string[] arguments)
    {
        if (arguments.Length == 0)
        {
            return "?";
        }

        var program = Path.GetFileName(arguments[0]);
        return program switch
        {
            "dotnet" when arguments.Length > 1 => Path.GetFileName(arguments[1]),
            "dcp" when arguments.Length > 1 => $"dcp {arguments[1]}",
            _ => program,
        };
    }

    private static long ReadRss(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
