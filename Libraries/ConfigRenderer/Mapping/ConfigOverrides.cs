using DendriteAspire.ConfigRenderer.Model;
using DendriteAspire.ConfigRenderer.Rendering;
using DendriteAspire.ConfigRenderer.Validation;
using DendriteAspire.ConfigRenderer.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DendriteAspire.ConfigRenderer.Mapping;

/// <summary>
/// The raw escape hatch: sets Dendrite config keys (dotted paths) to YAML values on top of the mapped config. Each
/// path must be a key the model knows, so a typo is an error instead of a silently ignored key.
/// </summary>
public static class ConfigOverrides
{
    public static (DendriteConfig Config, IReadOnlyList<ConfigFinding> Findings) Apply(
        DendriteConfig config, IReadOnlyDictionary<string, string> overrides, string settingsPath = "Overrides:")
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(overrides);
        if (overrides.Count == 0)
        {
            return (config, []);
        }

        var findings = new List<ConfigFinding>();
        var stream = new YamlStream();
        stream.Load(new StringReader(DendriteYaml.Serialize(config)));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;

        foreach (var (path, value) in overrides.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            var settingPath = settingsPath + path;
            if (ResolvePath(path) is { } problem)
            {
                findings.Add(new(FindingSeverity.Error, settingPath, problem));
                continue;
            }

            var keys = path.Split('.');
            var node = root;
            foreach (var key in keys[..^1])
            {
                if (!node.Children.TryGetValue(new YamlScalarNode(key), out var child) || child is not YamlMappingNode mapping)
                {
                    mapping = new YamlMappingNode();
                    node.Children[new YamlScalarNode(key)] = mapping;
                }

                node = mapping;
            }

            node.Children[new YamlScalarNode(keys[^1])] = ParseValue(value);
        }

        if (findings.Count > 0)
        {
            return (config, findings);
        }

        var writer = new StringWriter();
        stream.Save(writer, assignAnchors: false);
        try
        {
            return (DendriteYaml.Deserialize(writer.ToString()), []);
        }
        catch (YamlException exception)
        {
            var message = exception.InnerException?.Message ?? exception.Message;
            return (config, [new(FindingSeverity.Error, settingsPath.TrimEnd(':'), $"an override has a value of the wrong type ({message}); check the values against dendrite.md")]);
        }
    }

    private static YamlNode ParseValue(string value)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(value));
            return stream.Documents.Count > 0 ? stream.Documents[0].RootNode : new YamlScalarNode("");
        }
        catch (YamlException)
        {
            return new YamlScalarNode(value) { Style = ScalarStyle.DoubleQuoted };
        }
    }

    private static string? ResolvePath(string path)
    {
        var type = typeof(DendriteConfig);
        var keys = path.Split('.');
        for (var i = 0; i < keys.Length; i++)
        {
            var known = ConfigSchema.Keys(type);
            if (!known.TryGetValue(keys[i], out var child))
            {
                var where = i == 0 ? "at the top level" : $"in {string.Join('.', keys[..i])}";
                return Suggestion.Closest(keys[i], known.Keys) is { } suggestion
                    ? $"\"{keys[i]}\" is not a Dendrite config key {where}; did you mean \"{suggestion}\"?"
                    : $"\"{keys[i]}\" is not a Dendrite config key {where}; the keys there are {string.Join(", ", known.Keys)}";
            }

            if (i < keys.Length - 1 && !ConfigSchema.IsSection(child))
            {
                return $"\"{string.Join('.', keys[..(i + 1)])}\" is a value or a list, so nothing can be set inside it; override the whole key instead";
            }

            type = child;
        }

        return null;
    }
}
