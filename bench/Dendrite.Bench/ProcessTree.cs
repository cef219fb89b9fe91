using System.Globalization;

namespace DendriteAspire.Bench;

/// <summary>One process of a tree, read from /proc.</summary>
internal sealed record ProcessMemory(int Pid, string Name, long RssBytes);

/// <summary>Walks a process tree through /proc (Linux) and reads each process's resident set size.</summary>
internal static class ProcessTree
{
    /// <summary>The root and all its descendants.</summary>
    public static IReadOnlyList<ProcessMemory> Read(int rootPid)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) &&
                TryReadParent(pid) is { } parent)
            {
                parents[pid] = parent;
            }
        }

        var tree = new List<int> { rootPid };
        for (var i = 0; i < tree.Count; i++)
        {
            tree.AddRange(parents.Where(p => p.Value == tree[i]).Select(p => p.Key));
        }

        return tree.Select(pid => new ProcessMemory(pid, ReadName(pid), ReadRss(pid))).Where(p => p.RssBytes > 0).ToList();
    }

    /// <summary>The direct and indirect children of the root, without the root.</summary>
    public static IReadOnlyList<ProcessMemory> Descendants(int rootPid) => Read(rootPid).Where(p => p.Pid != rootPid).ToList();

    private static int? TryReadParent(int pid)
    {
        try
        {
            // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces, so parse after the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string ReadName(int pid)
    {
        try
        {
            var command = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
            // "dotnet X.dll" reads better as X.dll; otherwise the executable's file name.
            var main = command.Length > 1 && Path.GetFileName(command[0]) == "dotnet" ? command[1] : command.FirstOrDefault() ?? "?";
            return Path.GetFileName(main);
        }
        catch (IOException)
        {
            return "?";
        }
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
