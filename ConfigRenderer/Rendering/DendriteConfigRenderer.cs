using DendriteAspire.ConfigRenderer.Settings;

namespace DendriteAspire.ConfigRenderer.Rendering;

/// <summary>STUB: settings in, validated deterministic dendrite.yaml out.</summary>
public static class DendriteConfigRenderer
{
    public static RenderResult Render(DendriteSettings settings, string keyPrefix = "") =>
        new($"version: 2\nglobal:\n  server_name: {settings.ServerName}\n", []);
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
