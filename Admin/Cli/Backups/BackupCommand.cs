using System.CommandLine;
using System.Globalization;
using DendriteAspire.Backup.Archive;
using DendriteAspire.Backup.Runtime;
using DendriteAspire.Backup.Secrets;

namespace DendriteAspire.Admin.Cli.Backups;

/// <summary>
/// <c>backup --output DIR</c>: one archive of the server on the local container runtime, taken while it runs (Dendrite
/// paused for milliseconds), verified before it counts. Prints where it went, its size, what it holds and the pause.
/// </summary>
internal sealed class BackupCommand : BackupCliCommand
{
    /// <summary>A passphrase shorter than this is refused for a new archive.</summary>
    public const int MinimumPassphraseLength = 12;

    private readonly Option<DirectoryInfo> _output = new("--output")
    {
        Description = "The directory the archive goes into (created when missing).",
        Required = true,
    };

    private readonly Option<string> _volumePrefix = VolumePrefixOption();
    private readonly Option<string> _image = ImageOption();
    private readonly Option<DirectoryInfo> _onboarding = OnboardingDataOption();

    private readonly Option<string> _serverName = new("--server-name")
    {
        Description = "The server name; by default read from the running Dendrite's config.",
    };

    private readonly Option<bool> _includeSecrets = new("--include-secrets")
    {
        Description = "Also hold the AppHost's secret parameters (registration secret, admin password, invite key, Postgres password) from its user secrets, so a restore on a new machine needs nothing else.",
    };

    private readonly Option<int?> _keep = new("--keep")
    {
        Description = "After the new archive verified, keep only the newest N scheduled archives of this server in --output (with --scheduled).",
    };

    private readonly Option<bool> _scheduled = new("--scheduled")
    {
        Description = "Name the archive as a scheduled one (what a cron job or the cluster's CronJob runs); retention only ever removes those.",
    };

    private readonly Option<bool> _foreground = new("--foreground")
    {
        Description = "Take all the CPU and disk the backup can use. By default on Linux the backup (and the runtime commands it starts) runs in the idle CPU and I/O classes, so Dendrite's clients are served first; only what Dendrite's short pause waits on keeps normal priority.",
    };

    public BackupCommand(CliEnvironment environment)
        : base("backup", "Back up the server (databases, media, signing key, JetStream, invites) into one archive while it runs.", environment)
    {
        Options.Add(_output);
        Options.Add(_volumePrefix);
        Options.Add(_image);
        Options.Add(_onboarding);
        Options.Add(_serverName);
        Options.Add(_includeSecrets);
        Options.Add(_scheduled);
        Options.Add(_keep);
        Options.Add(_foreground);
    }

    protected override async Task<int> ExecuteAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var passphrase = ReadPassphrase(result);
        if (passphrase is not null && passphrase.Length < MinimumPassphraseLength)
        {
            return Fail(ExitCodes.BadInput, $"the passphrase is {passphrase.Length} characters; use at least {MinimumPassphraseLength} (a few random words)");
        }

        var keep = result.GetValue(_keep);
        if (keep is < 1)
        {
            return Fail(ExitCodes.BadInput, "--keep must be at least 1");
        }

        var prefix = result.GetRequiredValue(_volumePrefix);
        var secrets = result.GetValue(_includeSecrets) ? AppHostSecrets.Read(AppHostSecrets.DefaultPath()) : null;
        if (secrets is { Count: 0 })
        {
            return Fail(ExitCodes.BadInput, $"--include-secrets: no secret parameters in {AppHostSecrets.DefaultPath()} (run the AppHost once on this machine)");
        }

        var output = result.GetRequiredValue(_output).FullName;
        var backup = await ServerBackup.RunAsync(Runtime(), new BackupOptions
        {
            VolumePrefix = prefix,
            OutputDirectory = output,
            ServerName = result.GetValue(_serverName),
            DendriteImage = result.GetRequiredValue(_image),
            OnboardingDataDirectory = OnboardingDirectory(result.GetValue(_onboarding), prefix),
            Secrets = secrets,
            Passphrase = passphrase,
            Reason = result.GetValue(_scheduled) ? BackupReasons.Scheduled : BackupReasons.Manual,
            Progress = Progress,
            EnterBackground = result.GetValue(_foreground) ? null : Environment.EnterBackgroundCpu,
        }, cancellationToken).ConfigureAwait(false);

        var stdout = Environment.Stdout;
        stdout.WriteLine($"backup: {backup.Path} ({Size(backup.SizeBytes)})");
        var holds = backup.Manifest.ContainsSecrets ? "the signing key and the secret parameters" : "the signing key";
        stdout.WriteLine(passphrase is null
            ? $"holds: {holds}; it is NOT encrypted: keep it private, or use --passphrase-file"
            : $"holds: {holds}; encrypted (AES-256-GCM, passphrase needed to restore)");
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"release: {backup.Manifest.Release}, {backup.Manifest.DatabaseProvider}, {backup.Manifest.Files.Count} files, verified"));
        if (backup.Pause is { } pause)
        {
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"dendrite paused: {pause.TotalMilliseconds:0} ms"));
        }

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
