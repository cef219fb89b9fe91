using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace DendriteAspire.Backup.Archive;

/// <summary>
/// Archive file names: <c>&lt;server&gt;-&lt;yyyyMMdd-HHmmss&gt;Z-&lt;reason&gt;[-from-&lt;release&gt;]-key[-secrets].tar.zst[.enc]</c>,
/// for example <c>family.example-20261205-044500Z-upgrade-from-v0.13.8-key.tar.zst.enc</c>. "key" says it holds the
/// signing key, "secrets" the secret parameters, ".enc" that it is encrypted: visible before anyone opens it.
/// </summary>
public static partial class ArchiveName
{
    /// <summary>The extension of an unencrypted archive.</summary>
    public const string Extension = ".tar.zst";
    /// <summary>The extension of an encrypted archive.</summary>
    public const string EncryptedExtension = ".tar.zst.enc";
    private const string TimeFormat = "yyyyMMdd-HHmmss";

    /// <summary>The file name for an archive with this manifest.</summary>
    public static string For(BackupManifest manifest, bool encrypted)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var name = new StringBuilder(Safe(manifest.ServerName))
            .Append('-').Append(manifest.TakenAt.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture)).Append('Z')
            .Append('-').Append(manifest.Reason);
        if (manifest.UpgradeFrom is { } from)
        {
            name.Append("-from-").Append(Safe(from));
        }

        if (manifest.ContainsSigningKey)
        {
            name.Append("-key");
        }

        if (manifest.ContainsSecrets)
        {
            name.Append("-secrets");
        }

        return name.Append(encrypted ? EncryptedExtension : Extension).ToString();
    }

    /// <summary>The server part of a name: ':' (a port) and anything unusual become '_'.</summary>
    public static string Safe(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return string.Concat(text.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_'));
    }

    /// <summary>Parses a name this class made; null for any other file.</summary>
    public static ParsedArchiveName? TryParse(string fileName)
    {
        var match = Pattern().Match(fileName ?? "");
        if (!match.Success)
        {
            return null;
        }

        var time = DateTime.ParseExact(match.Groups["time"].Value, TimeFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
        return new ParsedArchiveName(match.Groups["server"].Value, new DateTimeOffset(time, TimeSpan.Zero), match.Groups["reason"].Value,
            match.Groups["from"].Success ? match.Groups["from"].Value : null, match.Groups["enc"].Success);
    }

    [GeneratedRegex(@"^(?<server>.+)-(?<time>\d{8}-\d{6})Z-(?<reason>manual|scheduled|upgrade)(-from-(?<from>v[0-9.]+))?(-key)?(-secrets)?\.tar\.zst(?<enc>\.enc)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

/// <summary>What an archive's file name says.</summary>
public sealed record ParsedArchiveName(string Server, DateTimeOffset TakenAt, string Reason, string? UpgradeFrom, bool Encrypted);
