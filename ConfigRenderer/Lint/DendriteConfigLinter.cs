using DendriteAspire.ConfigRenderer.Model;
using DendriteAspire.ConfigRenderer.Rendering;
using DendriteAspire.ConfigRenderer.Validation;
using DendriteAspire.ConfigRenderer.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DendriteAspire.ConfigRenderer.Lint;

/// <summary>
/// Checks an existing dendrite.yaml: unknown keys (warnings, since Dendrite ignores them), every validation error, and
/// risky settings (warnings). YAML that does not parse is one error whose path gives the line and column.
/// </summary>
public static class DendriteConfigLinter
{
    public static IReadOnlyList<ConfigFinding> Lint(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var findings = new List<ConfigFinding>();
        YamlNode? root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            root = stream.Documents.Count > 0 ? stream.Documents[0].RootNode : null;
        }
        catch (YamlException exception)
        {
            return [ParseError(exception)];
        }

        if (root is not null && root is not YamlMappingNode && !(root is YamlScalarNode { Value: null or "" }))
        {
            return [new(FindingSeverity.Error, Position(root.Start), "the file must be a YAML mapping of Dendrite's sections (version, global, ...), not a list or a single value")];
        }

        if (root is not null)
        {
            UnknownKeys.Find(root, typeof(DendriteConfig), "", findings);
        }

        DendriteConfig config;
        try
        {
            config = DendriteYaml.Deserialize(yaml);
        }
        catch (YamlException exception)
        {
            findings.Add(ParseError(exception));
            return findings;
        }

        findings.AddRange(DendriteConfigValidator.Validate(config));
        findings.AddRange(RiskySettings.Find(config));
        return findings;
    }

    private static ConfigFinding ParseError(YamlException exception)
    {
        var message = exception.Message.StartsWith("Duplicate key", StringComparison.Ordinal)
            ? $"{exception.Message.Trim().TrimEnd('.')}: Dendrite silently uses the last one; remove the other"
            : exception.InnerException is { } inner
            ? $"the value has the wrong type ({inner.Message.Trim().TrimEnd('.')}); write a value of the type the key expects, as in dendrite.md"
            : $"the YAML does not parse ({exception.Message.Trim().TrimEnd('.')}); fix the syntax at this position";
        return new(FindingSeverity.Error, Position(exception.Start), message);
    }

    private static string Position(Mark mark) => $"line {mark.Line}, column {mark.Column}";
}
