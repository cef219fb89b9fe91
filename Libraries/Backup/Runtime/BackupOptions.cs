namespace DendriteAspire.Backup.Runtime;

/// <summary>What to back up and where to.</summary>
public sealed record BackupOptions
{
    /// <summary>The volume prefix (<c>Dendrite:VolumePrefix</c>) that names the server's volumes.</summary>
    public required string VolumePrefix { get; init; }

    /// <summary>Where the archive goes; created when missing.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>The server name; null to read it from the running Dendrite's config.</summary>
    public string? ServerName { get; init; }

    /// <summary>The configured Dendrite image (<c>docker.io/matrixdotorg/dendrite-monolith:v0.15.2</c>); its tag is the release
    /// unless the running container or the release marker says otherwise. One-off containers run this image.</summary>
    public required string DendriteImage { get; init; }

    /// <summary>The Postgres image, for a one-off Postgres when the server's is not running.</summary>
    public string PostgresImage { get; init; } = "docker.io/library/postgres:18.3";

    /// <summary>The Postgres database and user (the AppHost's: <c>dendrite</c>, <c>postgres</c>).</summary>
    public string PostgresDatabase { get; init; } = "dendrite";

    /// <summary>The Postgres superuser the dump runs as (on the container's socket).</summary>
    public string PostgresUser { get; init; } = "postgres";

    /// <summary>The Postgres password (the AppHost's <c>postgres-password</c>): needed only when Postgres is not running
    /// and a one-off container must open its data; null otherwise.</summary>
    public string? PostgresPassword { get; init; }

    /// <summary>The onboarding service's data directory, whose <c>invites.db</c> is backed up; null to leave it out.</summary>
    public string? OnboardingDataDirectory { get; init; }

    /// <summary>Secret parameter values to include (only when asked for); null or empty for none.</summary>
    public IReadOnlyDictionary<string, string>? Secrets { get; init; }

    /// <summary>Encrypts the archive (AES-256-GCM, key from PBKDF2-HMAC-SHA256) when set.</summary>
    public string? Passphrase { get; init; }

    /// <summary>Why the backup is taken (<see cref="Archive.BackupReasons"/>); part of its name.</summary>
    public string Reason { get; init; } = Archive.BackupReasons.Manual;

    /// <summary>For an upgrade backup, the release the data was on.</summary>
    public string? UpgradeFrom { get; init; }

    /// <summary>zstd level (3 is zstd's default).</summary>
    public int CompressionLevel { get; init; } = 3;

    /// <summary>PBKDF2 iterations; lower only in tests.</summary>
    public int KdfIterations { get; init; } = Crypto.ArchiveEncryption.DefaultIterations;

    /// <summary>
    /// Called as the backup starts, to keep it out of Dendrite's way: the Admin CLI, a process of its own, passes
    /// <see cref="BackgroundCpu.Enter()"/>; the AppHost, whose threads must not enter the idle class,
    /// <see cref="BackgroundCpu.EnterInHost()"/>. Disposed when the backup ends. Null leaves the priority alone.
    /// </summary>
    public Func<BackgroundCpu>? EnterBackground { get; init; }

    /// <summary>Progress lines ("pausing dendrite", "media: 120 files"); never a secret.</summary>
    public Action<string> Progress { get; init; } = _ => { };
}
