using DendriteAspire.ConfigRenderer.Mapping;
using DendriteAspire.ConfigRenderer.Settings;
using DendriteAspire.ConfigRenderer.Validation;
using DendriteAspire.ConfigRenderer.Yaml;

namespace DendriteAspire.ConfigRenderer.Rendering;

/// <summary>Settings in, validated deterministic dendrite.yaml out.</summary>
public static class DendriteConfigRenderer
{
    /// <summary>
    /// Validates the settings (findings name settings keys with <paramref name="keyPrefix"/>, e.g.
    /// <c>Dendrite:WellKnown:ServerName</c>), maps them to a Dendrite config, applies the overrides, validates the
    /// result again with config key paths (<c>global.server_name</c>) and writes YAML. The YAML is null when there is
    /// any error; warnings are returned alongside it.
    /// </summary>
    public static RenderResult Render(DendriteSettings settings, string keyPrefix = "")
    {
        ArgumentNullException.ThrowIfNull(settings);
        keyPrefix ??= "";
        var prefix = keyPrefix.Length == 0 || keyPrefix.EndsWith(':') ? keyPrefix : keyPrefix + ":";
        var findings = new List<ConfigFinding>(DendriteSettingsValidator.Validate(settings, prefix));
        if (HasErrors(findings))
        {
            return new RenderResult(null, findings);
        }

        var (config, overrideFindings) = ConfigOverrides.Apply(DendriteConfigMapper.Map(settings), settings.Overrides, prefix + "Overrides:");
        findings.AddRange(overrideFindings);
        if (HasErrors(findings))
        {
            return new RenderResult(null, findings);
        }

        findings.AddRange(DendriteConfigValidator.Validate(config));
        return HasErrors(findings)
            ? new RenderResult(null, findings)
            : new RenderResult(DendriteYaml.Serialize(config), findings);
    }

    private static bool HasErrors(IEnumerable<ConfigFinding> findings) => findings.Any(f => f.Severity == FindingSeverity.Error);
}

public enum FindingSeverity { Error, Warning }

public sealed record ConfigFinding(FindingSeverity Severity, string Path, string Message)
{
    public override string ToString() => $"{(Severity == FindingSeverity.Error ? "error" : "warning")}: {Path}: {Message}";
}

public sealed record RenderResult(string? Yaml, IReadOnlyList<ConfigFinding> Findings)
{
    public bool Succeeded => Yaml is not null && Findings.All(f => f.Severity != FindingSeverity.Error);
}
