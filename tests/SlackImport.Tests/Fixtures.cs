using System.IO.Compression;

namespace DendriteAspire.SlackImport.Tests;

/// <summary>The fixture exports (Fixtures/modern: 2021 as slackdump writes it; Fixtures/legacy-2016: Slack's own 2016/2017 export).</summary>
internal static class Fixtures
{
    public static string Modern => Path.Combine(AppContext.BaseDirectory, "Fixtures", "modern");

    public static string Legacy => Path.Combine(AppContext.BaseDirectory, "Fixtures", "legacy-2016");

    /// <summary>A scratch copy of a fixture folder, to change for one test.</summary>
    public static string Copy(string fixture)
    {
        var target = Path.Combine(Path.GetTempPath(), "slack-fixture-" + Guid.NewGuid().ToString("N"));
        foreach (var file in Directory.EnumerateFiles(fixture, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(fixture, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }

        return target;
    }

    /// <summary>Zips a folder the way Slack does (entries at the root), or under one top folder.</summary>
    public static string Zip(string folder, bool underTopFolder = false)
    {
        var zip = Path.Combine(Path.GetTempPath(), "slack-export-" + Guid.NewGuid().ToString("N") + ".zip");
        ZipFile.CreateFromDirectory(folder, zip, CompressionLevel.Fastest, includeBaseDirectory: underTopFolder);
        return zip;
    }
}
