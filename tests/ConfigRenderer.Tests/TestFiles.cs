namespace DendriteAspire.ConfigRenderer.Tests;

/// <summary>Locates the repository and the shared fixtures at test time.</summary>
internal static class TestFiles
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>
    /// The upstream sample config, a shared fixture beside the repository (<c>../shared/reference</c>). A user's clone
    /// has none: the tests that need it then skip with the reason, or fail with <c>DENDRITE_LIVE=required</c> (CI).
    /// </summary>
    public static string Sample
    {
        get
        {
            var path = Path.Combine(RepoRoot, "..", "shared", "reference", "dendrite-sample-v0.13.8.yaml");
            if (!File.Exists(path))
            {
                var reason = $"The upstream sample is missing at {Path.GetFullPath(path)}; it is expected in ../shared/reference relative to the repository root.";
                if (string.Equals(Environment.GetEnvironmentVariable("DENDRITE_LIVE"), "required", StringComparison.OrdinalIgnoreCase))
                {
                    Assert.Fail($"{reason} (DENDRITE_LIVE=required)");
                }

                Assert.Skip(reason);
            }

            return path;
        }
    }

    public static string GoldenDirectory => Path.Combine(RepoRoot, "tests", "ConfigRenderer.Tests", "Golden");

    public static string ReadSample()
    {
        return File.ReadAllText(Sample);
    }

    private static string FindRepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "DendriteAspire.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"DendriteAspire.sln not found above {AppContext.BaseDirectory}");
    }
}
