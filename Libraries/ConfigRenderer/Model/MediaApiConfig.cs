using YamlDotNet.Serialization;

namespace DendriteAspire.ConfigRenderer.Model;

/// <summary>The <c>media_api</c> section (setup/config/config_mediaapi.go).</summary>
public sealed class MediaApiConfig
{
    [YamlMember(Alias = "database")] public DatabaseOptions? Database { get; set; }
    [YamlMember(Alias = "base_path")] public string? BasePath { get; set; }
    /// <summary>Plain bytes, no unit suffix; 0 means unlimited.</summary>
    [YamlMember(Alias = "max_file_size_bytes")] public long? MaxFileSizeBytes { get; set; }
    [YamlMember(Alias = "dynamic_thumbnails")] public bool? DynamicThumbnails { get; set; }
    [YamlMember(Alias = "max_thumbnail_generators")] public int? MaxThumbnailGenerators { get; set; }
    [YamlMember(Alias = "thumbnail_sizes")] public List<ThumbnailSize>? ThumbnailSizes { get; set; }
}

public sealed class ThumbnailSize
{
    public const string Crop = "crop";
    public const string Scale = "scale";

    [YamlMember(Alias = "width")] public int? Width { get; set; }
    [YamlMember(Alias = "height")] public int? Height { get; set; }
    [YamlMember(Alias = "method")] public string? Method { get; set; }
}
