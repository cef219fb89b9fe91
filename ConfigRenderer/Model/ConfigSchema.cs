using System.Reflection;
using YamlDotNet.Serialization;

namespace DendriteAspire.ConfigRenderer.Model;

/// <summary>
/// The key tree of <see cref="DendriteConfig"/>, read from the model's YAML aliases: which keys a mapping may hold and
/// what each one holds. Free-form maps (logging params, jaeger blocks) accept any key.
/// </summary>
public static class ConfigSchema
{
    /// <summary>The known keys of a model type, by YAML name.</summary>
    public static IReadOnlyDictionary<string, Type> Keys(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Alias: p.GetCustomAttribute<YamlMemberAttribute>()?.Alias, p.PropertyType))
            .Where(p => p.Alias is not null)
            .ToDictionary(p => p.Alias!, p => p.PropertyType, StringComparer.Ordinal);
    }

    /// <summary>True for a model section (a mapping with a fixed set of keys).</summary>
    public static bool IsSection(Type type) =>
        type.IsClass && type.Namespace == typeof(DendriteConfig).Namespace && Keys(type).Count > 0;

    /// <summary>The element type of a list, or null.</summary>
    public static Type? ElementType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? type.GetGenericArguments()[0] : null;

    /// <summary>
    /// Every dotted key path the model knows, lists written as <c>[]</c> (<c>logging[].level</c>), free-form maps as
    /// <c>*</c>.
    /// </summary>
    public static IReadOnlyList<string> AllPaths()
    {
        var paths = new List<string>();
        Collect(typeof(DendriteConfig), "", paths);
        return paths;
    }

    private static void Collect(Type type, string prefix, List<string> paths)
    {
        foreach (var (key, child) in Keys(type))
        {
            var path = prefix + key;
            paths.Add(path);
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
