using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace DendriteAspire.Backup.Archive;

/// <summary>
/// A Dendrite release: the image tag (<c>v0.15.2</c>) or the <c>dendrite_version</c> Dendrite writes into
/// <c>db_migrations</c> (<c>0.15.2</c>, possibly with a <c>+build</c> suffix).
/// </summary>
public static class DendriteRelease
{
    /// <summary>Parses <c>v0.15.2</c>, <c>0.15.2</c> or <c>0.15.2+abc</c> into its major, minor and patch.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Version? version)
    {
        version = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var core = text.Trim().TrimStart('v');
        var end = core.IndexOfAny(['+', '-', ' ']);
        if (end >= 0)
        {
            core = core[..end];
        }

        var parts = core.Split('.');
        if (parts.Length != 3 || !parts.All(p => p.Length is > 0 and < 9 && p.All(char.IsAsciiDigit)))
        {
            return false;
        }

        version = new Version(int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture),
            int.Parse(parts[2], CultureInfo.InvariantCulture));
        return true;
    }

    /// <summary>The image tag of a release: <c>v0.15.2</c>.</summary>
    public static string Tag(Version version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return string.Create(CultureInfo.InvariantCulture, $"v{version.Major}.{version.Minor}.{version.Build}");
    }
}
