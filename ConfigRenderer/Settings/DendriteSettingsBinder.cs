using DendriteAspire.ConfigRenderer.Rendering;
using Microsoft.Extensions.Configuration;

namespace DendriteAspire.ConfigRenderer.Settings;

/// <summary>STUB until the real binder lands.</summary>
public static class DendriteSettingsBinder
{
    public static SettingsBindResult Bind(IConfiguration configuration, string keyPrefix = "", IReadOnlySet<string>? ignoredKeys = null)
        => new(configuration.Get<DendriteSettings>() ?? new DendriteSettings(), []);
}

public sealed record SettingsBindResult(DendriteSettings Settings, IReadOnlyList<ConfigFinding> Findings);
