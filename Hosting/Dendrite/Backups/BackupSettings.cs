using System.Globalization;
using System.Text.RegularExpressions;
using DendriteAspire.ConfigRenderer.Rendering;

namespace DendriteAspire.Hosting;

/// <summary>
/// <c>Dendrite:Backup</c>: where the AppHost keeps backups (<c>Directory</c>), how often it takes one while it runs
/// (<c>Every</c>, such as <c>24h</c>; <c>off</c> for never), how many scheduled ones it keeps (<c>Keep</c>), and whether
/// they hold the secret parameters (<c>IncludeSecrets</c>, default false).
/// </summary>
internal sealed partial record BackupSettings(string Directory, TimeSpan? Every, int Keep, bool IncludeSecrets = false, bool Encrypt = false) : IResourceAnnotation
{
    public const string SectionKey = "Backup";
    public const string DefaultEvery = "24h";
    public const int DefaultKeep = 7;
    private static readonly TimeSpan Shortest = TimeSpan.FromMinutes(15);

    /// <summary>The keys of <c>Dendrite:Backup</c>; any other is refused by the binder.</summary>
    public static readonly IReadOnlyList<string> Keys = ["Directory", "Every", "Keep", "IncludeSecrets", "Encrypt"];

    /// <summary>The options from the section's raw values (<paramref name="value"/> gives one by key); each bad value adds an error naming its key and the fix.</summary>
    public static DendriteBackupOptions Parse(Func<string, string?> value, List<ConfigFinding> errors)
    {
        var directory = NonEmpty(value("Directory"));
        if (directory is not null && (directory.IndexOfAny(Path.GetInvalidPathChars()) >= 0 || !Path.IsPathFullyQualified(Path.GetFullPath(directory))))
        {
            errors.Add(Error("Directory", $"\"{directory}\" is not a directory path"));
        }

        var everyText = NonEmpty(value("Every")) ?? DefaultEvery;
        TimeSpan? every = null;
        if (!string.Equals(everyText, "off", StringComparison.OrdinalIgnoreCase))
        {
            every = ParseInterval(everyText);
            if (every is null)
            {
                errors.Add(Error("Every", $"\"{everyText}\" is not an interval; use a number with m, h or d (such as 24h or 7d), or off"));
            }
            else if (every < Shortest)
            {
                errors.Add(Error("Every", $"{everyText} is too often; use at least 15m (each backup pauses Dendrite for a moment and copies everything)"));
            }
        }

        var keepText = NonEmpty(value("Keep"));
        var keep = DefaultKeep;
        if (keepText is not null && (!int.TryParse(keepText, NumberStyles.None, CultureInfo.InvariantCulture, out keep) || keep < 1))
        {
            errors.Add(Error("Keep", $"\"{keepText}\" is not a number of backups to keep; use 1 or more, such as 7"));
        }

        var secretsText = NonEmpty(value("IncludeSecrets"));
        var includeSecrets = false;
        if (secretsText is not null && !bool.TryParse(secretsText, out includeSecrets))
        {
            errors.Add(Error("IncludeSecrets", $"\"{secretsText}\" is not true or false"));
        }

        var encryptText = NonEmpty(value("Encrypt"));
        var encrypt = false;
        if (encryptText is not null && !bool.TryParse(encryptText, out encrypt))
        {
            errors.Add(Error("Encrypt", $"\"{encryptText}\" is not true or false"));
        }

        return new DendriteBackupOptions { Directory = directory, Every = every, Keep = keep, IncludeSecrets = includeSecrets, Encrypt = encrypt };
    }

    /// <summary>The annotation's settings from the options: the directory made absolute, or the default for the volume prefix.</summary>
    public static BackupSettings From(DendriteBackupOptions options, string volumePrefix) =>
        new(Path.GetFullPath(options.Directory ?? DefaultDirectory(volumePrefix)), options.Every, options.Keep, options.IncludeSecrets, options.Encrypt);

    /// <summary>Beside the onboarding data: <c>~/.local/share/dendrite-aspire/&lt;prefix&gt;-backups</c>.</summary>
    public static string DefaultDirectory(string volumePrefix) =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create),
            "dendrite-aspire", $"{volumePrefix}-backups");

    /// <summary><c>30m</c>, <c>24h</c>, <c>7d</c>.</summary>
    public static TimeSpan? ParseInterval(string text)
    {
        var match = Interval().Match(text);
        if (!match.Success || !int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            return null;
        }

        return match.Groups[2].Value switch
        {
            "m" => TimeSpan.FromMinutes(count),
            "h" => TimeSpan.FromHours(count),
            _ => TimeSpan.FromDays(count),
        };
    }

    private static ConfigFinding Error(string key, string message) =>
        new(FindingSeverity.Error, $"{DendriteHostOptions.SectionName}:{SectionKey}:{key}", message);

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex("^([0-9]{1,6})(m|h|d)$", RegexOptions.CultureInvariant)]
    private static partial Regex Interval();
}
