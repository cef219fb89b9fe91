using YamlDotNet.RepresentationModel;

namespace DendriteAspire.ConfigRenderer.Tests;

/// <summary>Flattens YAML into key paths (<c>logging[1].params.path</c>) and leaf values, for comparing documents.</summary>
internal static class YamlKeyPaths
{
    public static Dictionary<string, string> Leaves(string yaml)
    {
        var leaves = new Dictionary<string, string>(StringComparer.Ordinal);
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        Walk(stream.Documents[0].RootNode, "", leaves);
        return leaves;
    }

    /// <summary>Every key path, also of sections, lists and empty keys, with list indexes written as <c>[]</c>.</summary>
    public static HashSet<string> Keys(string yaml)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        CollectKeys(stream.Documents[0].RootNode, "", keys);
        return keys;
    }

    private static void CollectKeys(YamlNode node, string path, HashSet<string> keys)
    {
        if (node is YamlMappingNode mapping)
        {
            foreach (var (key, value) in mapping.Children)
            {
                var keyPath = path.Length == 0 ? ((YamlScalarNode)key).Value! : $"{path}.{((YamlScalarNode)key).Value}";
                keys.Add(keyPath);
                CollectKeys(value, keyPath, keys);
            }
        }
        else if (node is YamlSequenceNode sequence)
        {
            foreach (var child in sequence.Children)
            {
                CollectKeys(child, path + "[]", keys);
            }
        }
    }

    private static void Walk(YamlNode node, string path, Dictionary<string, string> leaves)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    Walk(value, path.Length == 0 ? ((YamlScalarNode)key).Value! : $"{path}.{((YamlScalarNode)key).Value}", leaves);
                }

                break;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    Walk(sequence.Children[i], $"{path}[{i}]", leaves);
                }

                break;
            case YamlScalarNode scalar when scalar.Value is not null && !(scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && scalar.Value is "" or "null" or "~"):
                leaves[path] = scalar.Value;
                break;
        }
    }
}
