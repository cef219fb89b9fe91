using System.Reflection;
using YamlDotNet.Serialization;

namespace DendriteAspire.ConfigRenderer.Model;

/// <summary>
/// The key tree of <see cref="DendriteConfig"/>, read from the model's YAML aliases: which keys a mapping may hold and
/// what kind of value each one takes. It covers every key Dendrite v0.13.8 to v0.15.2 reads (the union: a key only
/// newer versions know is accepted, see <see cref="DocumentedKeys.NewerThanV0138"/>); a test compares it with the key
/// lists extracted from Dendrite's source. Free-form maps (logging params, jaeger http_headers) accept any key.
/// </summary>
public static class ConfigSchema
{
    /// <summary>Kinds of value, named as in the key lists (tests/ConfigRenderer.Tests/Fixtures/dendrite-keys-*.txt).</summary>
    public static class Kinds
    {
        public const string Section = "section";
        public const string StringValue = "string";
        public const string BoolValue = "bool";
        public const string IntValue = "int";
        public const string UintValue = "uint";
        public const string FloatValue = "float";
        public const string Duration = "duration";
        public const string DataUnit = "dataunit";
        public const string Any = "any";
        public const string Func = "func";
        public const string ListPrefix = "[]";
        public const string MapPrefix = "map[string]";
    }

    /// <summary>The known keys of a model type, by YAML name.</summary>
    public static IReadOnlyDictionary<string, Type> Keys(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return Members(type).ToDictionary(p => p.Alias, p => p.Property.PropertyType, StringComparer.Ordinal);
    }

    /// <summary>The kind of value each known key of a model type takes, by YAML name.</summary>
    public static IReadOnlyDictionary<string, string> KeyKinds(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return Members(type).ToDictionary(
            p => p.Alias,
            p => p.Property.GetCustomAttribute<YamlKindAttribute>()?.Kind ?? Kind(p.Property.PropertyType),
            StringComparer.Ordinal);
    }

    /// <summary>True for a model section (a mapping with a fixed set of keys).</summary>
    public static bool IsSection(Type type) =>
        type.IsClass && type.Namespace == typeof(DendriteConfig).Namespace && Keys(type).Count > 0;

    /// <summary>The element type of a list, or null.</summary>
    public static Type? ElementType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? type.GetGenericArguments()[0] : null;

    /// <summary>The value type of a free-form map (a dictionary with string keys), or null.</summary>
    public static Type? MapValueType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>) &&
        type.GetGenericArguments()[0] == typeof(string)
            ? type.GetGenericArguments()[1]
            : null;

    /// <summary>The kind of value a model type holds: <c>bool</c>, <c>duration</c>, <c>[]string</c>, <c>section</c>...</summary>
    public static string Kind(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (ElementType(type) is { } element)
        {
            return Kinds.ListPrefix + Kind(element);
        }

        if (MapValueType(type) is { } value)
        {
            return Kinds.MapPrefix + Kind(value);
        }

        return type switch
        {
            _ when type == typeof(string) => Kinds.StringValue,
            _ when type == typeof(bool) => Kinds.BoolValue,
            _ when type == typeof(int) || type == typeof(long) => Kinds.IntValue,
            _ when type == typeof(uint) || type == typeof(ulong) => Kinds.UintValue,
            _ when type == typeof(double) => Kinds.FloatValue,
            _ when type == typeof(GoDuration) => Kinds.Duration,
            _ when type == typeof(DataUnit) => Kinds.DataUnit,
            _ when type == typeof(object) => Kinds.Any,
            _ when IsSection(type) => Kinds.Section,
            _ => throw new InvalidOperationException($"{type} has no YAML kind; add it to ConfigSchema.Kind"),
        };
    }

    /// <summary>
    /// Every dotted key path the model knows, lists of sections written as <c>[]</c> (<c>logging[].level</c>).
    /// </summary>
    public static IReadOnlyList<string> AllPaths() => [.. AllKeyKinds().Keys];

    /// <summary>Every key path with its kind, in the form of the fixtures' key lists.</summary>
    public static IReadOnlyDictionary<string, string> AllKeyKinds()
    {
        var paths = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Collect(typeof(DendriteConfig), "", paths);
        return paths;
    }

    private static IEnumerable<(string Alias, PropertyInfo Property)> Members(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Alias: p.GetCustomAttribute<YamlMemberAttribute>()?.Alias, Property: p))
            .Where(p => p.Alias is not null)
            .Select(p => (p.Alias!, p.Property));

    private static void Collect(Type type, string prefix, SortedDictionary<string, string> paths)
    {
        var kinds = KeyKinds(type);
        foreach (var (key, child) in Keys(type))
        {
            var path = prefix + key;
            paths.Add(path, kinds[key]);
            var element = ElementType(child);
            if (element is not null && IsSection(element))
            {
                Collect(element, path + "[].", paths);
            }
            else if (IsSection(child))
            {
                Collect(child, path + ".", paths);
            }
        }
    }
}
