namespace DendriteAspire.ConfigRenderer.Tests;

/// <summary>Reads the key lists extracted from Dendrite's config structs (Fixtures/dendrite-keys-*.txt).</summary>
internal static class KeyLists
{
    /// <summary>Key path to kind, e.g. <c>global.key_validity_period</c> to <c>duration</c>.</summary>
    public static Dictionary<string, string> Read(string version)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(TestFiles.KeyList(version)))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var parts = line.Split('\t');
            Assert.True(parts.Length == 2, $"{TestFiles.KeyList(version)}: \"{line}\" is not '<path><TAB><kind>'");
            keys.Add(parts[0], parts[1]);
        }

        return keys;
    }
}
