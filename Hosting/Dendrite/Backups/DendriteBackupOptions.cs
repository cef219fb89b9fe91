namespace DendriteAspire.Hosting;

/// <summary>
/// <c>Dendrite:Backup</c>, as <see cref="BackupBuilderExtensions.WithBackups"/> takes it: where the AppHost keeps
/// backups, how often it takes one while it runs, how many scheduled ones it keeps, and whether they hold the secret
/// parameters. Bound and checked by <c>DendriteConfiguration.Bind</c>.
/// </summary>
public sealed class DendriteBackupOptions
{
    /// <summary>The interval when none is set.</summary>
    public static readonly TimeSpan DefaultEvery = TimeSpan.FromHours(24);

    /// <summary>How many scheduled backups are kept when nothing is set.</summary>
    public const int DefaultKeep = 7;

    /// <summary>The directory backups go to; <see langword="null"/>: <c>~/.local/share/dendrite-aspire/&lt;volume prefix&gt;-backups</c>.</summary>
    public string? Directory { get; init; }

    /// <summary>How often a backup is taken while the AppHost runs (at least 15 minutes); <see langword="null"/>: never.</summary>
    public TimeSpan? Every { get; init; } = DefaultEvery;

    /// <summary>How many scheduled backups are kept (1 or more); the oldest is removed only after a new one verified.</summary>
    public int Keep { get; init; } = DefaultKeep;

    /// <summary>Whether backups hold the secret parameters (default false).</summary>
    public bool IncludeSecrets { get; init; }

    /// <summary>
    /// Whether every backup, local and in the cluster, is encrypted with the secret parameter
    /// <c>&lt;name&gt;-backup-passphrase</c> (at least 12 characters; default false).
    /// </summary>
    public bool Encrypt { get; init; }
}
