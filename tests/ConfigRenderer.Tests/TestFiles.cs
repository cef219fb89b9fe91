namespace DendriteAspire.ConfigRenderer.Tests;

/// <summary>Locates the repository and the test fixtures (all inside the repository) at test time.</summary>
internal static class TestFiles
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string FixturesDirectory => Path.Combine(RepoRoot, "tests", "ConfigRenderer.Tests", "Fixtures");

    /// <summary>Upstream's v0.13.8 sample config, comments stripped (see Fixtures/NOTICE.md).</summary>
    public static string Sample => Path.Combine(FixturesDirectory, "dendrite-sample-v0.13.8.yaml");

    /// <summary>The exact outputs of Dendrite v0.15.2's generate-config, one per mode.</summary>
    public static IEnumerable<string> GeneratedConfigs =>
        Directory.EnumerateFiles(Path.Combine(FixturesDirectory, "generate-config-v0.15.2"), "*.yaml").Order(StringComparer.Ordinal);

    /// <summary>The key list extracted from Dendrite's config structs at a version (see Fixtures/NOTICE.md).</summary>
    public static string KeyList(string version) => Path.Combine(FixturesDirectory, $"dendrite-keys-{version}.txt");

    public static string GoldenDirectory => Path.Combine(RepoRoot, "tests", "ConfigRenderer.Tests", "Golden");

    public static string ReadSample()
    {
        Assert.True(File.Exists(Sample), $"The upstream sample fixture is missing at {Path.GetFullPath(Sample)}.");
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
