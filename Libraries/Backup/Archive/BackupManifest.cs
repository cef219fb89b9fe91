using System.Text.Json;
using System.Text.Json.Serialization;

namespace DendriteAspire.Backup.Archive;

/// <summary>
/// <c>manifest.json</c>, the last entry of every archive: what server and release it is from, when it was taken, the
/// schema versions (<c>db_migrations</c>) of every database, and a SHA-256 for every other entry.
/// </summary>
public sealed record BackupManifest
{
    /// <summary>The archive layout version; a reader refuses a layout it does not know.</summary>
    public const int CurrentFormat = 1;

    /// <summary>The layout version of this archive.</summary>
    public int Format { get; init; } = CurrentFormat;

    /// <summary>The server name (<c>family.example</c>), as in user ids.</summary>
    public required string ServerName { get; init; }

    /// <summary><c>Sqlite</c> or <c>Postgres</c>.</summary>
    public required string DatabaseProvider { get; init; }

    /// <summary>The Dendrite release that ran on this data (the image tag, <c>v0.15.2</c>).</summary>
    public required string Release { get; init; }

    /// <summary>The image the release came from.</summary>
    public string? Image { get; init; }

    /// <summary>When the consistent moment was taken (UTC, whole seconds).</summary>
    public required DateTimeOffset TakenAt { get; init; }

    /// <summary><c>manual</c>, <c>scheduled</c> or <c>upgrade</c>.</summary>
    public string Reason { get; init; } = BackupReasons.Manual;

    /// <summary>For an upgrade backup: the release the data was on before the upgrade.</summary>
    public string? UpgradeFrom { get; init; }

    /// <summary>True when the archive holds the signing key: keep it private, or encrypt it.</summary>
    public bool ContainsSigningKey { get; init; }

    /// <summary>True when the archive holds secret parameter values.</summary>
    public bool ContainsSecrets { get; init; }

    /// <summary>How long Dendrite was paused for the consistent copy (null when it was not running).</summary>
    public double? PauseMilliseconds { get; init; }

    /// <summary>Per database (<c>roomserver</c>, ..., or <c>postgres</c>), its <c>db_migrations</c> rows.</summary>
    public SortedDictionary<string, IReadOnlyList<SchemaMigration>> Migrations { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Every entry of the archive except the manifest, in archive order.</summary>
    public IReadOnlyList<ManifestFile> Files { get; init; } = [];

    /// <summary>The newest Dendrite release that touched this data: the release, or a newer <c>dendrite_version</c> in db_migrations.</summary>
    [JsonIgnore]
    public Version? NewestRelease
    {
        get
        {
            var newest = DendriteRelease.TryParse(Release, out var release) ? release : null;
            foreach (var migration in Migrations.Values.SelectMany(m => m))
            {
                if (DendriteRelease.TryParse(migration.DendriteVersion, out var version) && (newest is null || version > newest))
                {
                    newest = version;
                }
            }

            return newest;
        }
    }

    /// <summary>How manifests are written: camelCase, indented.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The manifest as UTF-8 JSON.</summary>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <summary>Reads a manifest; a broken one or an unknown layout is a <see cref="BackupRefusedException"/>.</summary>
    public static BackupManifest Parse(ReadOnlySpan<byte> json)
    {
        BackupManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<BackupManifest>(json, Json);
        }
        catch (JsonException e)
        {
            throw new BackupRefusedException($"the archive's manifest.json is not valid: {e.Message}", e);
        }

        if (manifest is null)
        {
            throw new BackupRefusedException("the archive's manifest.json is empty");
        }

        return manifest.Format != CurrentFormat
            ? throw new BackupRefusedException($"the archive has layout {manifest.Format}; this version reads layout {CurrentFormat} (update DendriteAspire)")
            : manifest;
    }
}

/// <summary>One row of Dendrite's <c>db_migrations</c> table.</summary>
public sealed record SchemaMigration(string Version, string DendriteVersion);

/// <summary>One archived file: its path in the archive, size, SHA-256 (lower-case hex) and Unix mode.</summary>
public sealed record ManifestFile(string Path, long Size, string Sha256, int Mode);

/// <summary>Why a backup was taken; part of its file name.</summary>
public static class BackupReasons
{
    /// <summary>Taken by hand: the CLI or the dashboard command.</summary>
    public const string Manual = "manual";
    /// <summary>Taken on the schedule (<c>Dendrite:Backup:Every</c>); the only kind retention removes.</summary>
    public const string Scheduled = "scheduled";
    /// <summary>Taken before a newer Dendrite release first started on the data.</summary>
    public const string Upgrade = "upgrade";
}
