using System.CommandLine;
using System.Globalization;
using DendriteAspire.Backup.Archive;
using DendriteAspire.Backup.Runtime;
using DendriteAspire.Backup.Secrets;

namespace DendriteAspire.Admin.Cli.Backups;

/// <summary>
/// <c>backup-mounted</c>: what the cluster's CronJob runs. The server's claims are mounted directories (no container
/// runtime, no pause): each SQLite file under a read transaction, Postgres with <c>pg_dump</c> against its Service, then
/// JetStream, the key and the media; verified before it counts, then the newest <c>--keep</c> scheduled archives kept.
/// </summary>
internal sealed class MountedBackupCommand : BackupCliCommand
{
    private readonly Option<DirectoryInfo> _volumes = VolumesOption();
    private readonly Option<DirectoryInfo> _output = new("--output") { Description = "The directory the archive goes into (the backups claim).", Required = true };
    private readonly Option<string> _serverName = new("--server-name") { Description = "The server name.", Required = true };
    private readonly Option<string> _image = ImageOption();
    private readonly Option<int?> _keep = new("--keep") { Description = "After the new archive verified, keep only the newest N scheduled archives of this server in --output." };
    private readonly Option<DirectoryInfo> _scratch = new("--scratch") { Description = "Where the database copies are staged (default: the temp directory)." };
    private readonly Option<DirectoryInfo> _onboarding = OnboardingOption();
    private readonly Option<DirectoryInfo> _secrets = new("--secrets")
    {
        Description = "Also hold the secret parameters: a directory of one file per parameter, named after it (the published Secrets' items).",
    };
    private readonly Option<string> _postgresHost = PostgresHostOption();
    private readonly Option<string> _postgresUser = PostgresUserOption();
    private readonly Option<string> _postgresDatabase = PostgresDatabaseOption();

    public MountedBackupCommand(CliEnvironment environment)
        : base("backup-mounted", "Back up a server whose claims are mounted under --volumes (the cluster's CronJob); Postgres through --postgres-host.", environment)
    {
        Options.Add(_volumes);
        Options.Add(_output);
        Options.Add(_serverName);
        Options.Add(_image);
        Options.Add(_keep);
        Options.Add(_scratch);
        Options.Add(_onboarding);
        Options.Add(_secrets);
        Options.Add(_postgresHost);
        Options.Add(_postgresUser);
        Options.Add(_postgresDatabase);
    }

    internal static Option<DirectoryInfo> VolumesOption() => new("--volumes")
    {
        Description = "The directory with one directory per claim: sqlite, jetstream, storage-keys, media.",
        DefaultValueFactory = _ => new DirectoryInfo("/v"),
    };

    internal static Option<DirectoryInfo> OnboardingOption() => new("--onboarding")
    {
        Description = "The onboarding service's data directory (its claim), where invites.db is.",
    };

    internal static Option<string> PostgresHostOption() => new("--postgres-host") { Description = "Postgres mode: the host (the postgres Service); the password comes from PGPASSWORD." };

    internal static Option<string> PostgresUserOption() => new("--postgres-user") { Description = "The Postgres user.", DefaultValueFactory = _ => "postgres" };

    internal static Option<string> PostgresDatabaseOption() => new("--postgres-database") { Description = "The Postgres database.", DefaultValueFactory = _ => "dendrite" };

    internal static PostgresTarget? Postgres(ParseResult result, Option<string> host, Option<string> user, Option<string> database) =>
        result.GetValue(host) is { Length: > 0 } h ? new PostgresTarget(h, result.GetRequiredValue(user), result.GetRequiredValue(database)) : null;

    protected override async Task<int> ExecuteAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var passphrase = ReadPassphrase(result);
        if (passphrase is not null && passphrase.Length < BackupCommand.MinimumPassphraseLength)
        {
            return Fail(ExitCodes.BadInput, $"the passphrase is {passphrase.Length} characters; use at least {BackupCommand.MinimumPassphraseLength} (a few random words)");
        }

        var keep = result.GetValue(_keep);
        if (keep is < 1)
        {
            return Fail(ExitCodes.BadInput, "--keep must be at least 1");
        }

        var output = result.GetRequiredValue(_output).FullName;
        var stdout = Environment.Stdout;
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"backup of {result.GetRequiredValue(_serverName)} started {DateTimeOffset.UtcNow:u}"));
        var backup = await MountedBackup.RunAsync(new MountedBackupOptions
        {
            VolumesDirectory = result.GetRequiredValue(_volumes).FullName,
            OutputDirectory = output,
            ScratchDirectory = result.GetValue(_scratch)?.FullName,
            ServerName = result.GetRequiredValue(_serverName),
            DendriteImage = result.GetRequiredValue(_image),
            Postgres = Postgres(result, _postgresHost, _postgresUser, _postgresDatabase),
            OnboardingDirectory = result.GetValue(_onboarding)?.FullName,
            Secrets = result.GetValue(_secrets) is { } secrets ? AppHostSecrets.ReadDirectory(secrets.FullName) : null,
            Passphrase = passphrase,
            Progress = line => stdout.WriteLine(line),
        }, cancellationToken).ConfigureAwait(false);

        stdout.WriteLine($"backup: {backup.Path} ({Size(backup.SizeBytes)})");
        var holds = backup.Manifest.ContainsSecrets ? "the signing key and the secret parameters" : "the signing key";
        stdout.WriteLine(passphrase is null
            ? $"holds: {holds}; it is NOT encrypted: keep the backups claim private, or set a passphrase"
            : $"holds: {holds}; encrypted (AES-256-GCM, passphrase needed to restore)");
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"release: {backup.Manifest.Release}, {backup.Manifest.DatabaseProvider}, {backup.Manifest.Files.Count} files, verified in {backup.Duration.TotalSeconds:0.0} s"));
        if (keep is { } n)
        {
            foreach (var removed in Retention.Apply(output, backup.Manifest.ServerName, n))
            {
                stdout.WriteLine($"removed: {removed}");
            }
        }

        return ExitCodes.Success;
    }
}

/// <summary>
/// <c>restore-mounted ARCHIVE</c>: the cluster's restore, run in a Job while Dendrite is scaled to 0, onto the claims
/// mounted under <c>--volumes</c> (empty unless <c>--replace</c>), and a Postgres dump into a database created anew.
/// </summary>
internal sealed class MountedRestoreCommand : BackupCliCommand
{
    private readonly Argument<FileInfo> _archive = new("archive") { Description = "The archive (.tar.zst or .tar.zst.enc)." };
    private readonly Option<DirectoryInfo> _volumes = MountedBackupCommand.VolumesOption();
    private readonly Option<string> _image = ImageOption();
    private readonly Option<bool> _replace = new("--replace") { Description = "Replace claims (and a Postgres database, invites.db) that hold data. Dendrite and onboarding must be scaled to 0." };
    private readonly Option<DirectoryInfo> _onboarding = MountedBackupCommand.OnboardingOption();
    private readonly Option<string> _postgresHost = MountedBackupCommand.PostgresHostOption();
    private readonly Option<string> _postgresUser = MountedBackupCommand.PostgresUserOption();
    private readonly Option<string> _postgresDatabase = MountedBackupCommand.PostgresDatabaseOption();

    public MountedRestoreCommand(CliEnvironment environment)
        : base("restore-mounted", "Restore an archive onto claims mounted under --volumes (the cluster's restore Job); Postgres through --postgres-host.", environment)
    {
        Arguments.Add(_archive);
        Options.Add(_volumes);
        Options.Add(_image);
        Options.Add(_replace);
        Options.Add(_onboarding);
        Options.Add(_postgresHost);
        Options.Add(_postgresUser);
        Options.Add(_postgresDatabase);
    }

    protected override async Task<int> ExecuteAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var stdout = Environment.Stdout;
        var manifest = await MountedRestore.RunAsync(new MountedRestoreOptions
        {
            ArchivePath = result.GetRequiredValue(_archive).FullName,
            Passphrase = ReadPassphrase(result),
            VolumesDirectory = result.GetRequiredValue(_volumes).FullName,
            DendriteImage = result.GetRequiredValue(_image),
            Postgres = MountedBackupCommand.Postgres(result, _postgresHost, _postgresUser, _postgresDatabase),
            Replace = result.GetValue(_replace),
            OnboardingDirectory = result.GetValue(_onboarding)?.FullName,
            Progress = line => stdout.WriteLine(line),
        }, cancellationToken).ConfigureAwait(false);
        stdout.WriteLine($"restored: {manifest.ServerName} ({manifest.DatabaseProvider}, Dendrite {manifest.Release}, taken {manifest.TakenAt:u}); scale Dendrite back to 1");
        return ExitCodes.Success;
    }
}
