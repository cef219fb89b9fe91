using System.Globalization;
using System.Reflection;
using DendriteAspire.ConfigRenderer.Rendering;
using DendriteAspire.ConfigRenderer.Validation;
using Microsoft.Extensions.Configuration;

namespace DendriteAspire.ConfigRenderer.Settings;

/// <summary>The settings read from configuration, and what was wrong with them.</summary>
public sealed record SettingsBindResult(DendriteSettings Settings, IReadOnlyList<ConfigFinding> Findings)
{
    public bool Succeeded => Findings.All(f => f.Severity != FindingSeverity.Error);
}

/// <summary>
/// Binds <see cref="DendriteSettings"/> from .NET configuration strictly: a value of the wrong type or an unknown key
/// becomes an error finding naming the full key path (<c>Dendrite:Database:Provider</c>), never an exception and never
/// silently ignored.
/// </summary>
public static class DendriteSettingsBinder
{
    /// <param name="configuration">
    /// The section that holds the settings (the root of a settings file). When given the configuration root together
    /// with a prefix, the section named by the prefix is read.
    /// </param>
    /// <param name="keyPrefix">How the section is named in messages, e.g. <c>Dendrite:</c> (the colon is optional).</param>
    /// <param name="ignoredKeys">Top-level keys that belong to someone else (the AppHost's Image, VolumePrefix...).</param>
    public static SettingsBindResult Bind(IConfiguration configuration, string keyPrefix = "", IReadOnlySet<string>? ignoredKeys = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        keyPrefix ??= "";
        var prefix = keyPrefix.Length == 0 || keyPrefix.EndsWith(':') ? keyPrefix : keyPrefix + ":";
        if (configuration is not IConfigurationSection && prefix.Length > 0)
        {
            configuration = configuration.GetSection(prefix.TrimEnd(':'));
        }

        var ignored = new HashSet<string>(ignoredKeys ?? new HashSet<string>(), StringComparer.OrdinalIgnoreCase);
        var settings = new DendriteSettings();
        var findings = new List<ConfigFinding>();
        BindObject(configuration, settings, prefix, ignored, findings);
        return new SettingsBindResult(settings, findings);
    }

    private static void BindObject(IConfiguration section, object target, string path, HashSet<string>? ignored, List<ConfigFinding> findings)
    {
        var properties = target.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren())
        {
            var childPath = path + child.Key;
            if (ignored?.Contains(child.Key) == true)
            {
                continue;
            }

            if (!properties.TryGetValue(child.Key, out var property))
            {
                findings.Add(UnknownSettings.Finding(childPath, child.Key, properties.Keys));
                continue;
            }

            BindProperty(child, target, property, childPath, findings);
        }
    }

    private static void BindProperty(IConfigurationSection section, object target, PropertyInfo property, string path, List<ConfigFinding> findings)
    {
        var type = property.PropertyType;
        var hasChildren = section.GetChildren().Any();
        if (type == typeof(List<string>))
        {
            var list = hasChildren
                ? section.GetChildren().OrderBy(c => int.TryParse(c.Key, out var i) ? i : int.MaxValue).Select(c => c.Value ?? "").ToList()
                : string.IsNullOrEmpty(section.Value) ? [] : [section.Value];
            property.SetValue(target, list);
            return;
        }

        if (type == typeof(Dictionary<string, string>))
        {
            var map = (Dictionary<string, string>)property.GetValue(target)!;
            Flatten(section, "", map);
            return;
        }

        if (IsSettingsGroup(type))
        {
            if (!hasChildren && !string.IsNullOrEmpty(section.Value))
            {
                findings.Add(Error(path, $"is a group of settings, not a value; write it as an object with {string.Join(", ", type.GetProperties().Select(p => p.Name))}"));
                return;
            }

            BindObject(section, property.GetValue(target)!, path + ":", null, findings);
            return;
        }

        if (hasChildren)
        {
            findings.Add(Error(path, $"must be a single value, not a section; {Expectation(type)}"));
            return;
        }

        var text = section.Value;
        if (string.IsNullOrEmpty(text))
        {
            if (type == typeof(string))
            {
                property.SetValue(target, null);
            }

            return;
        }

        if (TryConvert(text.Trim(), type, out var value))
        {
            property.SetValue(target, type == typeof(string) ? text : value);
        }
        else
        {
            findings.Add(Error(path, $"\"{text}\" is not valid; {Expectation(type)}"));
        }
    }

    /// <summary>Nested sections become dotted keys, so {"client_api": {"rate_limiting": {"threshold": 30}}} works too.</summary>
    private static void Flatten(IConfigurationSection section, string prefix, Dictionary<string, string> map)
    {
        foreach (var entry in section.GetChildren())
        {
            var key = prefix + entry.Key;
            if (entry.GetChildren().Any())
            {
                Flatten(entry, key + ".", map);
            }
            else
            {
                map[key] = entry.Value ?? "";
            }
        }
    }

    private static bool IsSettingsGroup(Type type) =>
        type.IsClass && type != typeof(string) && type.Namespace == typeof(DendriteSettings).Namespace;

    private static bool TryConvert(string text, Type type, out object? value)
    {
        value = null;
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(string))
        {
            value = text;
            return true;
        }

        if (underlying == typeof(bool) && bool.TryParse(text, out var flag))
        {
            value = flag;
            return true;
        }

        if (underlying == typeof(int) && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            value = number;
            return true;
        }

        if (underlying == typeof(long) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big))
        {
            value = big;
            return true;
        }

        if (underlying.IsEnum && !char.IsAsciiDigit(text[0]) && text[0] != '-' &&
            Enum.TryParse(underlying, text, ignoreCase: true, out var member) && Enum.IsDefined(underlying, member!))
        {
            value = member;
            return true;
        }

        return false;
    }

    private static string Expectation(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying.IsEnum)
        {
            return $"use {string.Join(" or ", Enum.GetNames(underlying))}";
        }

        if (underlying == typeof(bool))
        {
            return "use true or false";
        }

        if (underlying == typeof(int) || underlying == typeof(long))
        {
            return "use a whole number such as 10";
        }

        return "use a text value";
    }

    private static ConfigFinding Error(string path, string message) => new(FindingSeverity.Error, path, message);
}
