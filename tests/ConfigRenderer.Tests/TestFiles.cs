namespace DendriteAspire.ConfigRenderer.Tests;

/// <summary>Locates the repository and the shared fixtures at test time.</summary>
internal static class TestFiles
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Sample => Path.Combine(RepoRoot, "..", "shared", "reference", "dendrite-sample-v0.13.8.yaml");

    public static string GoldenDirectory => Path.Combine(RepoRoot, "tests", "ConfigRenderer.Tests", "Golden");

    public static string ReadSample()
    {
        Assert.True(File.Exists(Sample), $"The upstream sample is missing at {Path.GetFullPath(Sample)}; it is expected in ../shared/reference relative to the repository root.");
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
