namespace DendriteAspire.AppHost.Tests;

/// <summary>
/// The generated <c>aspire-manifest.json</c> and the published Kubernetes files, byte for byte against committed golden
/// copies (<c>tests/AppHost.Tests/Golden/&lt;set&gt;/</c>) for two settings sets. A restructuring of the code must leave
/// them unchanged; a deliberate change of the output regenerates them with
/// <c>DENDRITE_UPDATE_GOLDENS=1 dotnet test tests/AppHost.Tests --filter FullyQualifiedName~GoldenPublishTests</c>
/// and shows up in review as a diff of the golden files.
/// </summary>
public class GoldenPublishTests
{
    /// <summary>The settings sets: the name of the golden directory and the settings it is published with.</summary>
    public static TheoryData<string> Sets => [.. SettingsSets.Keys];

    private static readonly IReadOnlyDictionary<string, string[]> SettingsSets = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        // SQLite, the defaults, with a server name a cluster accepts.
        ["sqlite-defaults"] = [],
        // Postgres, federation and an ingress: every optional part of the output.
        ["postgres-ingress-federation"] =
        [
            "--Dendrite:Database:Provider=Postgres",
            "--Dendrite:Federation:Enabled=true",
            "--Dendrite:Kubernetes:Ingress:Host=matrix.family.example",
        ],
    };

    private static string GoldenDirectory(string set) => Path.Combine(RepositoryRoot.Path, "tests", "AppHost.Tests", "Golden", set);

    private static bool Updating => Environment.GetEnvironmentVariable("DENDRITE_UPDATE_GOLDENS") == "1";

    [Theory]
    [MemberData(nameof(Sets))]
    public async Task Published_kubernetes_files_match_the_golden_copy(string set)
    {
        var published = await PublishedManifests.PublishAsync(SettingsSets[set]);
        var golden = Path.Combine(GoldenDirectory(set), "kubernetes");
        var fresh = published.Files.ToDictionary(f => f.Key, f => File.ReadAllBytes(Path.Combine(published.Directory, f.Key)), StringComparer.Ordinal);
        var extra = Directory.GetFiles(published.Directory).Select(Path.GetFileName).Where(n => !n!.EndsWith(".yaml", StringComparison.Ordinal)).ToList();
        Assert.Empty(extra);

        await CompareAsync(golden, fresh);
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public async Task Generated_aspire_manifest_matches_the_golden_copy(string set)
    {
        var output = Publishing.NewOutputDirectory();
        var path = Path.Combine(output, "aspire-manifest.json");
        var (succeeded, _) = await Publishing.RunAsync("publish-manifest", path,
        [
            $"--Dendrite:ServerName={Publishing.ServerName}",
            .. SettingsSets[set],
        ]);
        Assert.True(succeeded, "manifest publish failed");

        // Project paths are relative to the manifest's directory; the golden copy holds them as if it sat at the
        // repository root, like the committed aspire-manifest.json. Every other byte is compared as written.
        var relative = Path.GetRelativePath(output, RepositoryRoot.Path).Replace('\\', '/');
        var text = (await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken))
            .Replace($"\"path\": \"{relative}/", "\"path\": \"", StringComparison.Ordinal);
        var fresh = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["aspire-manifest.json"] = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text),
        };

        await CompareAsync(Path.Combine(GoldenDirectory(set), "manifest"), fresh);
    }

    private static async Task CompareAsync(string goldenDirectory, IReadOnlyDictionary<string, byte[]> fresh)
    {
        if (Updating)
        {
            if (Directory.Exists(goldenDirectory))
            {
                Directory.Delete(goldenDirectory, recursive: true);
            }

            Directory.CreateDirectory(goldenDirectory);
            foreach (var (name, bytes) in fresh)
            {
                await File.WriteAllBytesAsync(Path.Combine(goldenDirectory, name), bytes, TestContext.Current.CancellationToken);
            }
        }

        Assert.True(Directory.Exists(goldenDirectory), $"no golden copy at {goldenDirectory}; create it with DENDRITE_UPDATE_GOLDENS=1");
        var goldenNames = Directory.GetFiles(goldenDirectory).Select(p => Path.GetFileName(p)!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(goldenNames, fresh.Keys.Order(StringComparer.Ordinal).ToList());
        foreach (var name in goldenNames)
        {
            var expected = await File.ReadAllBytesAsync(Path.Combine(goldenDirectory, name), TestContext.Current.CancellationToken);
            Assert.True(expected.AsSpan().SequenceEqual(fresh[name]),
                $"{name} differs from its golden copy in {goldenDirectory}:\n{FirstDifference(expected, fresh[name])}");
        }
    }

    private static string FirstDifference(byte[] expected, byte[] actual)
    {
        var expectedLines = System.Text.Encoding.UTF8.GetString(expected).Split('\n');
        var actualLines = System.Text.Encoding.UTF8.GetString(actual).Split('\n');
        for (var i = 0; i < Math.Max(expectedLines.Length, actualLines.Length); i++)
        {
            var e = i < expectedLines.Length ? expectedLines[i] : "<end of file>";
            var a = i < actualLines.Length ? actualLines[i] : "<end of file>";
            if (e != a)
            {
                return $"line {i + 1}:\n  golden: {e}\n  now:    {a}";
            }
        }

        return "same lines, different bytes (line endings or encoding)";
    }
}
