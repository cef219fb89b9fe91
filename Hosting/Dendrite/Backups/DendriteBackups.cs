using Aspire.Hosting.Postgres;
using DendriteAspire.Backup.Archive;
using DendriteAspire.Backup.Runtime;
using DendriteAspire.Backup.Secrets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DendriteAspire.Hosting;

/// <summary>
/// Takes backups of the local run the same way <c>dotnet run --project Admin -- backup</c> does (the DendriteAspire.Backup
/// library, one-off containers on the model's volumes), into <see cref="BackupSettings.Directory"/>: for the dashboard
/// command, the schedule and the upgrade guard. One at a time.
/// </summary>
internal sealed class DendriteBackups(DendriteResource dendrite, DendriteHostOptions host, BackupSettings settings) : IResourceAnnotation, IDisposable
{
    private readonly SemaphoreSlim _one = new(1, 1);

    public void Dispose() => _one.Dispose();

    public BackupSettings Settings => settings;

    public DendriteHostOptions Host => host;

    /// <summary>The configured image: <c>docker.io/matrixdotorg/dendrite-monolith:v0.15.2</c>.</summary>
    public string Image => $"{host.Registry}/{host.Image}:{host.ImageTag}";

    public bool IsRunning => _one.CurrentCount == 0;

    /// <summary>The passphrase every backup is encrypted with (<c>Backup:Encrypt</c>); null for unencrypted backups.</summary>
    public ParameterResource? Passphrase { get; set; }

    /// <summary>The shortest passphrase accepted (the Admin CLI's rule).</summary>
    public const int MinimumPassphraseLength = 12;

    /// <summary>Takes one backup and verifies it; for a scheduled one, then applies retention. Logs each step on the resource.</summary>
    public async Task<BackupResult> TakeAsync(IServiceProvider services, string runtime, string reason, string? upgradeFrom, ILogger logger, CancellationToken cancellationToken)
    {
        await _one.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Directory.CreateDirectory(settings.Directory);
            if (!OperatingSystem.IsWindows())
            {
                // Archives hold the signing key: the directory is the user's alone.
                File.SetUnixFileMode(settings.Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var model = services.GetRequiredService<DistributedApplicationModel>();
            var result = await ServerBackup.RunAsync(new ContainerCli(runtime), new BackupOptions
            {
                VolumePrefix = host.VolumePrefix,
                OutputDirectory = settings.Directory,
                ServerName = dendrite.Settings.ServerName,
                DendriteImage = Image,
                PostgresPassword = await PostgresPasswordAsync(cancellationToken).ConfigureAwait(false),
                OnboardingDataDirectory = OnboardingBuilderExtensions.LocalDataDirectory(host.VolumePrefix),
                Secrets = settings.IncludeSecrets ? await SecretsAsync(model, cancellationToken).ConfigureAwait(false) : null,
                Passphrase = await PassphraseAsync(cancellationToken).ConfigureAwait(false),
                Reason = reason,
                UpgradeFrom = upgradeFrom,
                // Beside a running Dendrite (not before an upgrade, when it is stopped): the runtime commands in the idle
                // classes and the AppHost on half the cores until the backup ends (its own threads cannot enter the idle
                // class: there is no way back).
                EnterBackground = reason == BackupReasons.Upgrade ? null : () => BackgroundCpu.EnterInHost(),
                Progress = line => BackupLog.Step(logger, line),
            }, cancellationToken).ConfigureAwait(false);
            BackupLog.Written(logger, result.Path, result.SizeBytes, result.Manifest.ContainsSecrets ? "the signing key and the secret parameters" : "the signing key");
            await BackupStatus.ReportAsync(services, dendrite, DateTimeOffset.UtcNow, result.SizeBytes).ConfigureAwait(false);
            if (reason == BackupReasons.Scheduled)
            {
                foreach (var removed in Retention.Apply(settings.Directory, dendrite.Settings.ServerName, settings.Keep))
                {
                    BackupLog.Removed(logger, removed, settings.Keep);
                }
            }

            return result;
        }
        finally
        {
            _one.Release();
        }
    }

    private async Task<string?> PassphraseAsync(CancellationToken cancellationToken)
    {
        if (Passphrase is null)
        {
            return null;
        }

        var value = await Passphrase.GetValueAsync(cancellationToken).ConfigureAwait(false);
        return value is { Length: >= MinimumPassphraseLength }
            ? value
            : throw new DendriteAspire.Backup.BackupRefusedException(
                $"Parameters:{Passphrase.Name} is {value?.Length ?? 0} characters; Dendrite:Backup:Encrypt needs at least {MinimumPassphraseLength} (a few random words): dotnet user-secrets set Parameters:{Passphrase.Name} '...' --project AppHost");
    }

    private async Task<string?> PostgresPasswordAsync(CancellationToken cancellationToken) =>
        dendrite.Database is PostgresDatabaseResource database
            ? await database.Parent.PasswordParameter.GetValueAsync(cancellationToken).ConfigureAwait(false)
            : null;

    private static async Task<IReadOnlyDictionary<string, string>> SecretsAsync(DistributedApplicationModel model, CancellationToken cancellationToken)
    {
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in model.Resources.OfType<ParameterResource>().Where(p => p.Secret && AppHostSecrets.Names.Contains(p.Name)))
        {
            if (await parameter.GetValueAsync(cancellationToken).ConfigureAwait(false) is { Length: > 0 } value)
            {
                secrets[parameter.Name] = value;
            }
        }

        return secrets;
    }
}
