using DendriteAspire.ConfigRenderer.Rendering;
using DendriteAspire.ConfigRenderer.Validation;

namespace DendriteAspire.ConfigRenderer.Settings;

/// <summary>
/// The one message for a key nobody reads: <c>unknown setting "Ingres"; did you mean "Ingress"?</c>, or the list of
/// known keys when none is close. Every binder of the <c>Dendrite</c> section uses it, so a typo reads the same
/// wherever it is made.
/// </summary>
public static class UnknownSettings
{
    /// <summary>The error finding for <paramref name="key"/> at <paramref name="path"/>.</summary>
    /// <param name="path">The key's full path, e.g. <c>Dendrite:Kubernetes:Ingres</c>.</param>
    /// <param name="key">The key as written, e.g. <c>Ingres</c>.</param>
    /// <param name="known">The keys that exist at that level.</param>
    /// <returns>An error naming the key and the closest known key, or all known keys.</returns>
    public static ConfigFinding Finding(string path, string key, IEnumerable<string> known) =>
        new(FindingSeverity.Error, path, Message(key, known));

    /// <summary>The message alone.</summary>
    /// <param name="key">The key as written.</param>
    /// <param name="known">The keys that exist at that level.</param>
    /// <returns><c>unknown setting "key"; did you mean "Known"?</c> or <c>...; known settings here are A, B</c>.</returns>
    public static string Message(string key, IEnumerable<string> known)
    {
        var names = known.Order(StringComparer.Ordinal).ToList();
        return Suggestion.Closest(key, names) is { } closest
            ? $"unknown setting \"{key}\"; did you mean \"{closest}\"?"
            : $"unknown setting \"{key}\"; known settings here are {string.Join(", ", names)}";
    }
}
