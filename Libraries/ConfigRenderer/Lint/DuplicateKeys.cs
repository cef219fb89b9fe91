using DendriteAspire.ConfigRenderer.Model;
using DendriteAspire.ConfigRenderer.Rendering;

namespace DendriteAspire.ConfigRenderer.Lint;

/// <summary>
/// Keys given more than once in one mapping. Dendrite's yaml.v2 (read non-strictly) accepts them: a repeated value is
/// replaced by the last one, a repeated section is decoded into the same struct so the blocks merge. Either way one of
/// the lines silently does nothing, so it is a warning that names both lines.
/// </summary>
internal static class DuplicateKeys
{
    public static void Find(SourceMapping mapping, IReadOnlyDictionary<string, Type> known, string path, List<ConfigFinding> findings)
    {
        foreach (var group in mapping.Entries.Where(e => !e.Merged).GroupBy(e => e.Key, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            var entries = group.ToList();
            var keyPath = path.Length == 0 ? group.Key : $"{path}.{group.Key}";
            var lines = string.Join(" and ", entries.Select(e => $"line {e.Line}"));
            var section = known.TryGetValue(group.Key, out var type) && ConfigSchema.IsSection(type) && entries.All(e => e.Value is SourceMapping);
            var message = section
                ? $"appears {entries.Count} times ({lines}); Dendrite reads the blocks into one, and a key set in more than one takes its value from the last (line {entries[^1].Line}); merge them into one block"
                : $"is given {entries.Count} times ({lines}); Dendrite silently uses the last one (line {entries[^1].Line}); remove the others";
            findings.Add(new ConfigFinding(FindingSeverity.Warning, keyPath, message));
        }
    }
}
