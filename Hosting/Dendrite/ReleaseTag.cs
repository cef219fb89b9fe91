using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace DendriteAspire.Hosting;

/// <summary>A Dendrite release tag such as <c>v0.15.2</c>.</summary>
internal static class ReleaseTag
{
    public static bool TryParse(string tag, [NotNullWhen(true)] out Version? version)
    {
        version = null;
        if (tag.Length < 2 || tag[0] != 'v')
        {
            return false;
        }

        var parts = tag[1..].Split('.');
        if (parts.Length != 3 || !parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit)))
        {
            return false;
        }

        version = new Version(
            int.Parse(parts[0], CultureInfo.InvariantCulture),
            int.Parse(parts[1], CultureInfo.InvariantCulture),
            int.Parse(parts[2], CultureInfo.InvariantCulture));
        return true;
    }

    public static Version Parse(string tag) =>
        TryParse(tag, out var version) ? version : throw new FormatException($"'{tag}' is not a release tag.");
}
