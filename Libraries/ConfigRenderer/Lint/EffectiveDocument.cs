using DendriteAspire.ConfigRenderer.Model;
using DendriteAspire.ConfigRenderer.Rendering;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DendriteAspire.ConfigRenderer.Lint;

/// <summary>
/// Walks the file along the model's schema the way Dendrite's yaml.v2 decodes it, reporting unknown keys, repeated
/// keys and values of the wrong kind, and builds the document Dendrite effectively reads: for a repeated key the last
/// value wins (a repeated section is decoded into the same struct, so its blocks merge), YAML 1.1 booleans and empty
/// values become what Go stores, and values Dendrite cannot load are left out (their error is already reported).
/// </summary>
internal sealed class EffectiveDocument
{
    private readonly List<ConfigFinding> _findings;
    private readonly ValueKinds _kinds;

    private EffectiveDocument(List<ConfigFinding> findings)
    {
        _findings = findings;
        _kinds = new ValueKinds(findings);
    }

    /// <summary>Reports into <paramref name="findings"/> and returns the effective document as YAML text.</summary>
    public static string Read(SourceMapping root, List<ConfigFinding> findings)
    {
        var reader = new EffectiveDocument(findings);
        reader.Walk(root, typeof(DendriteConfig), "");
        var effective = reader.BuildSection(root, typeof(DendriteConfig));
        var stream = new YamlStream(new YamlDocument(effective));
        using var writer = new StringWriter();
        stream.Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    private void Walk(SourceMapping mapping, Type type, string path)
    {
        var known = ConfigSchema.Keys(type);
        var kinds = ConfigSchema.KeyKinds(type);
        DuplicateKeys.Find(mapping, known, path, _findings);
        foreach (var entry in mapping.Entries)
        {
            var keyPath = path.Length == 0 ? entry.Key : $"{path}.{entry.Key}";
            if (!known.TryGetValue(entry.Key, out var child))
            {
                if (!entry.Merged)
                {
                    _findings.Add(new ConfigFinding(FindingSeverity.Warning, keyPath, UnknownKeys.Message(entry.Key, known.Keys)));
                }

                continue;
            }

            var element = ConfigSchema.ElementType(child);
            if (ConfigSchema.IsSection(child) && entry.Value is SourceMapping section)
            {
                Walk(section, child, keyPath);
            }
            else if (element is not null && ConfigSchema.IsSection(element) && entry.Value is SourceSequence list)
            {
                for (var i = 0; i < list.Items.Count; i++)
                {
                    if (list.Items[i] is SourceMapping item)
                    {
                        Walk(item, element, $"{keyPath}[{i}]");
                    }
                    else
                    {
                        _kinds.Check(list.Items[i], ConfigSchema.Kinds.Section, $"{keyPath}[{i}]");
                    }
                }
            }
            else
            {
                _kinds.Check(entry.Value, kinds[entry.Key], keyPath);
            }
        }
    }

    private YamlMappingNode BuildSection(SourceMapping mapping, Type type)
    {
        var known = ConfigSchema.Keys(type);
        var values = new List<KeyValuePair<string, YamlNode>>();
        foreach (var entry in mapping.Entries)
        {
            if (!known.TryGetValue(entry.Key, out var child) || _kinds.Rejected.Contains(entry.Value))
            {
                continue;
            }

            var index = values.FindIndex(v => v.Key == entry.Key);
            if (entry.Value is SourceScalar empty && YamlV2Scalars.Resolve(empty).Kind == ResolvedKind.Null && !_kinds.Effective.ContainsKey(empty))
            {
                if (index >= 0)
                {
                    values.RemoveAt(index); // an empty section or list: Go's zero value, which the typed model reads as absent
                }

                continue;
            }

            var element = ConfigSchema.ElementType(child);
            var value = entry.Value switch
            {
                SourceMapping section when ConfigSchema.IsSection(child) => BuildSection(section, child),
                SourceSequence list when element is not null && ConfigSchema.IsSection(element) => new YamlSequenceNode(
                    list.Items.Where(i => !_kinds.Rejected.Contains(i)).Select(i => i is SourceMapping item ? BuildSection(item, element) : Build(i))),
                _ => Build(entry.Value),
            };
            if (index < 0)
            {
                values.Add(new(entry.Key, value));
            }
            else
            {
                values[index] = new(entry.Key, values[index].Value is YamlMappingNode earlier && value is YamlMappingNode later
                    ? Merge(earlier, later)
                    : value);
            }
        }

        return new YamlMappingNode(values.Select(v => new KeyValuePair<YamlNode, YamlNode>(new YamlScalarNode(v.Key), v.Value)));
    }

    /// <summary>A list, a free-form map or a scalar, as Dendrite reads it (in a map, a repeated key's last value wins).</summary>
    private YamlNode Build(SourceNode node)
    {
        switch (node)
        {
            case SourceSequence sequence:
                return new YamlSequenceNode(sequence.Items.Where(i => !_kinds.Rejected.Contains(i)).Select(Build));
            case SourceMapping mapping:
                var entries = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
                foreach (var entry in mapping.Entries.Where(e => !_kinds.Rejected.Contains(e.Value)))
                {
                    entries.Remove(entry.Key);
                    entries[entry.Key] = Build(entry.Value);
                }

                return new YamlMappingNode(entries.Select(e => new KeyValuePair<YamlNode, YamlNode>(new YamlScalarNode(e.Key), e.Value)));
            default:
                var scalar = (SourceScalar)node;
                if (_kinds.Effective.TryGetValue(node, out var effective))
                {
                    return new YamlScalarNode(effective) { Style = effective.Length == 0 ? ScalarStyle.DoubleQuoted : ScalarStyle.Plain };
                }

                return new YamlScalarNode(scalar.Value) { Style = scalar.Style == ScalarStyle.Plain ? ScalarStyle.Plain : ScalarStyle.DoubleQuoted };
        }
    }

    /// <summary>
    /// Two blocks of the same section: yaml.v2 decodes both into one struct (and a map into the same map), so they
    /// merge key by key and the later value wins; lists and single values are replaced.
    /// </summary>
    private static YamlMappingNode Merge(YamlMappingNode earlier, YamlMappingNode later)
    {
        var merged = new YamlMappingNode();
        foreach (var (key, value) in earlier.Children)
        {
            if (!later.Children.ContainsKey(key))
            {
                merged.Add(key, value);
            }
        }

        foreach (var (key, value) in later.Children)
        {
            merged.Add(key, earlier.Children.TryGetValue(key, out var old) && old is YamlMappingNode oldMapping && value is YamlMappingNode newMapping
                ? Merge(oldMapping, newMapping)
                : value);
        }

        return merged;
    }
}
