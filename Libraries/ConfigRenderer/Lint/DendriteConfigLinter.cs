using DendriteAspire.ConfigRenderer.Model;
using DendriteAspire.ConfigRenderer.Rendering;
using DendriteAspire.ConfigRenderer.Validation;
using DendriteAspire.ConfigRenderer.Yaml;
using YamlDotNet.Core;

namespace DendriteAspire.ConfigRenderer.Lint;

/// <summary>
/// Checks an existing dendrite.yaml the way Dendrite reads it (gopkg.in/yaml.v2, non-strict): unknown keys and repeated
/// keys are warnings (Dendrite ignores the one and takes the last of the other), values Dendrite cannot load are
/// errors, YAML 1.1 booleans are at most a style warning; then every validation rule and the risky settings run on what
/// Dendrite effectively reads. An error means Dendrite refuses the config or will misbehave. YAML that does not parse
/// is one error whose path gives the line and column.
/// </summary>
public static class DendriteConfigLinter
{
    public static IReadOnlyList<ConfigFinding> Lint(string yaml) => Lint(yaml, new LintOptions());

    public static IReadOnlyList<ConfigFinding> Lint(string yaml, LintOptions options)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(options);
        var findings = new List<ConfigFinding>();
        SourceNode? root;
        try
        {
            root = SourceTree.Read(yaml);
        }
        catch (YamlException exception)
        {
            return [ParseError(exception)];
        }

        if (root is not null and not SourceMapping && !(root is SourceScalar { Value: "" or "~" or "null" or "Null" or "NULL", Style: ScalarStyle.Plain }))
        {
            return [new(FindingSeverity.Error, Position(root.Start), "the file must be a YAML mapping of Dendrite's sections (version, global, ...), not a list or a single value")];
        }

        var effective = root is SourceMapping mapping ? EffectiveDocument.Read(mapping, findings) : "";
        DendriteConfig config;
        try
        {
            config = DendriteYaml.Deserialize(effective);
        }
        catch (YamlException exception)
        {
            findings.Add(new(FindingSeverity.Error, "(file)", $"the config could not be read ({(exception.InnerException ?? exception).Message.Trim().TrimEnd('.')}); check the value types against dendrite.md"));
            return findings;
        }

        findings.AddRange(DendriteConfigValidator.Validate(config, options.ReallyEnableOpenRegistration));
        findings.AddRange(RiskySettings.Find(config));
        return findings;
    }

    private static ConfigFinding ParseError(YamlException exception) =>
        new(FindingSeverity.Error, Position(exception.Start), $"the YAML does not parse ({exception.Message.Trim().TrimEnd('.')}); fix the syntax at this position");

    private static string Position(Mark mark) => $"line {mark.Line}, column {mark.Column}";
}
