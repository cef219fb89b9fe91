using DendriteAspire.ConfigRenderer.Model;
using YamlDotNet.Serialization;

namespace DendriteAspire.ConfigRenderer.Yaml;

/// <summary>
/// The YAML form of <see cref="DendriteConfig"/>. Writing is deterministic: members in declaration order, absent
/// (null) members left out, two-space indentation, <c>\n</c> line endings, and strings quoted only where YAML would
/// otherwise read them as something else.
/// </summary>
public static class DendriteYaml
{
    private static readonly IYamlTypeConverter[] Converters =
    [
        new TextValueConverter<GoDuration>(text => new GoDuration(text), duration => duration.Text),
        new TextValueConverter<DataUnit>(text => new DataUnit(text), size => size.Text),
    ];

    private static readonly ISerializer Serializer = Converters
        .Aggregate(new SerializerBuilder(), (builder, converter) => builder.WithTypeConverter(converter))
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull)
        .WithQuotingNecessaryStrings()
        .WithEventEmitter(next => new Yaml11SafeStrings(next))
        .WithIndentedSequences()
        .WithNewLine("\n")
        .DisableAliases()
        .Build();

    private static readonly IDeserializer Deserializer = Converters
        .Aggregate(new DeserializerBuilder(), (builder, converter) => builder.WithTypeConverter(converter))
        .IgnoreUnmatchedProperties()
        .Build();

    /// <summary>Writes the config as YAML.</summary>
    public static string Serialize(DendriteConfig config) => Serializer.Serialize(config);

    /// <summary>
    /// Reads a config. Unknown keys are ignored, as Dendrite ignores them (the linter reports them). Throws
    /// <see cref="YamlDotNet.Core.YamlException"/> with a position when the text is not YAML or a value has the
    /// wrong type.
    /// </summary>
    public static DendriteConfig Deserialize(string yaml) =>
        Deserializer.Deserialize<DendriteConfig?>(yaml) ?? new DendriteConfig();
}
