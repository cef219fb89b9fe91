using System.Reflection;
using DendriteAspire.ConfigRenderer.Rendering;
using DendriteAspire.ConfigRenderer.Settings;
using Microsoft.Extensions.Configuration;

namespace DendriteAspire.Hosting.Configuration;

/// <summary>
/// Refuses keys nobody reads, with the same message everywhere (<see cref="UnknownSettings"/>): a section's keys are
/// a fixed list, or the settable properties of the options type it binds to (recursively; a dictionary's entries are
/// free names, and a dictionary of option objects checks each entry against that object's properties).
/// </summary>
internal static class KnownKeys
{
    /// <summary>Every key of <paramref name="section"/> that is not in <paramref name="known"/>.</summary>
    public static IEnumerable<ConfigFinding> Unknown(IConfigurationSection section, IReadOnlyCollection<string> known)
    {
        var names = new HashSet<string>(known, StringComparer.OrdinalIgnoreCase);
        return section.GetChildren()
            .Where(child => !names.Contains(child.Key))
            .Select(child => UnknownSettings.Finding(child.Path, child.Key, known));
    }

    /// <summary>Every key under <paramref name="section"/> that <typeparamref name="T"/> has no property for.</summary>
    public static IEnumerable<ConfigFinding> Unknown<T>(IConfigurationSection section) => Unknown(section, typeof(T));

    private static IEnumerable<ConfigFinding> Unknown(IConfigurationSection section, Type type)
    {
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren())
        {
            if (!properties.TryGetValue(child.Key, out var property))
            {
                yield return UnknownSettings.Finding(child.Path, child.Key, properties.Keys);
                continue;
            }

            foreach (var finding in UnknownBelow(child, property.PropertyType))
            {
                yield return finding;
            }
        }
    }

    private static IEnumerable<ConfigFinding> UnknownBelow(IConfigurationSection section, Type type)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            var value = type.GetGenericArguments()[1];
            return IsOptionsObject(value) ? section.GetChildren().SelectMany(entry => Unknown(entry, value)) : [];
        }

        return IsOptionsObject(type) ? Unknown(section, type) : [];
    }

    private static bool IsOptionsObject(Type type) =>
        type.IsClass && type != typeof(string) && !typeof(System.Collections.IEnumerable).IsAssignableFrom(type);
}
