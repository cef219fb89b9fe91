using DendriteAspire.ConfigRenderer.Model;

namespace DendriteAspire.ConfigRenderer.Tests;

/// <summary>
/// The linter's schema against the key lists extracted from Dendrite's source (v0.13.8 and v0.15.2). The schema is the
/// union of both versions, so a config for either version has no false "unknown key".
/// </summary>
public class SchemaTests
{
    private static readonly Dictionary<string, string> V0138 = KeyLists.Read("v0.13.8");
    private static readonly Dictionary<string, string> V0152 = KeyLists.Read("v0.15.2");

    [Fact]
    public void Schema_MatchesTheUnionOfDendritesKeyLists_KeysAndKinds()
    {
        var expected = new SortedDictionary<string, string>(V0152, StringComparer.Ordinal);
        foreach (var (path, kind) in V0138)
        {
            expected.TryAdd(path, kind);
        }

        var actual = ConfigSchema.AllKeyKinds();

        var missing = expected.Keys.Where(k => !actual.ContainsKey(k)).Select(k => $"  - {k}\t{expected[k]}");
        var extra = actual.Keys.Where(k => !expected.ContainsKey(k)).Select(k => $"  + {k}\t{actual[k]}");
        var kinds = expected.Keys.Where(k => actual.TryGetValue(k, out var kind) && kind != expected[k])
            .Select(k => $"  ~ {k}\tDendrite: {expected[k]}, schema: {actual[k]}");
        var diff = missing.Concat(extra).Concat(kinds).ToList();

        Assert.True(diff.Count == 0,
            "ConfigSchema (the model under ConfigRenderer/Model) and Dendrite's key lists disagree " +
            "(- Dendrite reads it but the schema lacks it, + the schema has a key Dendrite does not read, ~ other kind):\n" +
            string.Join("\n", diff));
    }

    [Fact]
    public void KeysOnlyInV0152_AreExactlyTheDocumentedNewerKeys()
    {
        var newer = V0152.Keys.Except(V0138.Keys).Order(StringComparer.Ordinal);
        var removed = V0138.Keys.Except(V0152.Keys).ToList();

        Assert.Equal(DocumentedKeys.NewerThanV0138.Keys.Order(StringComparer.Ordinal), newer);
        Assert.True(removed.Count == 0, $"Keys v0.15.2 no longer reads need a finding of their own: {string.Join(", ", removed)}");
    }

    [Fact]
    public void KeysInBothVersions_HaveTheSameKind()
    {
        var changed = V0138.Where(e => V0152.TryGetValue(e.Key, out var kind) && kind != e.Value).Select(e => e.Key).ToList();

        Assert.Empty(changed);
    }

    [Fact]
    public void KeyLists_AreNotEmptyAndStartAtTheRoot()
    {
        Assert.Contains("version", V0152.Keys);
        Assert.Equal("section", V0152["tracing.jaeger.sampler"]);
        Assert.True(V0152.Count > 200, $"only {V0152.Count} keys; the extraction looks truncated");
    }
}
