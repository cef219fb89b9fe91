using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace DendriteAspire.ConfigRenderer.Yaml;

/// <summary>
/// Reads and writes a value type that Dendrite keeps as text (a Go duration, a data unit) as a plain YAML scalar,
/// keeping the text exactly as written.
/// </summary>
internal sealed class TextValueConverter<T>(Func<string, T> create, Func<T, string> text) : IYamlTypeConverter
    where T : class
{
    public bool Accepts(Type type) => type == typeof(T);

    public object? ReadYaml(IParser parser, Type type, ObjectDeserializer rootDeserializer)
    {
        var scalar = parser.Consume<Scalar>();
        var isNull = scalar.Style == ScalarStyle.Plain && scalar.Value is "" or "~" or "null" or "Null" or "NULL";
        return isNull ? null : create(scalar.Value);
    }

    public void WriteYaml(IEmitter emitter, object? value, Type type, ObjectSerializer serializer)
    {
        var content = value is T typed ? text(typed) : "";
        emitter.Emit(new Scalar(null, null, content, ScalarStyle.Plain, true, false));
    }
}
