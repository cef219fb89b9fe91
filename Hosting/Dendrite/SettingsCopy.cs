using System.Text.Json;
using DendriteAspire.ConfigRenderer.Settings;

namespace DendriteAspire.Hosting;

/// <summary>A deep copy of the settings, so the values filled in at start-up never leak back into the model.</summary>
internal static class SettingsCopy
{
    public static DendriteSettings Of(DendriteSettings settings) =>
        JsonSerializer.Deserialize<DendriteSettings>(JsonSerializer.Serialize(settings))!;
}
