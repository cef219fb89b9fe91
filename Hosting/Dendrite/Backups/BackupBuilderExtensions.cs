using System.Globalization;
using Aspire.Hosting.Publishing;
using DendriteAspire.Backup;
using DendriteAspire.Backup.Archive;
using DendriteAspire.Backup.Runtime;
using DendriteAspire.ConfigRenderer.Rendering;
using DendriteAspire.Hosting.Kubernetes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DendriteAspire.Hosting;

/// <summary>Backups of the local run: the dashboard command, the schedule and the upgrade guard.</summary>
public static class BackupBuilderExtensions
{
    internal const string BackUpNowCommand = "back-up-now";

    /// <summary>
    /// Backs Dendrite up (settings <c>Dendrite:Backup:Directory</c>, <c>Every</c>, <c>Keep</c>, <c>IncludeSecrets</c>):
    /// a <b>Back up now</b> dashboard command that shows where the archive went and its size; a backup every
    /// <c>Every</c> while the AppHost runs, keeping the newest <c>Keep</c> (the oldest removed only after a new one
    /// verified); and the upgrade guard: the release that last ran is recorded on the keys volume, a newer configured
    /// release takes a backup (named <c>upgrade-from-&lt;old release&gt;</c>) before Dendrite starts, and an older one is
    /// refused with exit 2 before anything starts, naming the backup to restore.
    /// </summary>
    /// <example>
    /// <code>
    /// builder.AddDendrite("dendrite", settings.Dendrite).WithKeyGeneration().WithPersistentState().WithBackups(settings.Backup);
    /// </code>
    /// </example>
    /// <param name="builder">The Dendrite resource.</param>
    /// <param name="options">Where backups go, how often, how many are kept (<c>Dendrite:Backup</c>, from <c>DendriteConfiguration.Bind</c>).</param>
    /// <returns>The same builder.</returns>
    public static IResourceBuilder<DendriteResource> WithBackups(this IResourceBuilder<DendriteResource> builder, DendriteBackupOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        var host = builder.Resource.Annotations.OfType<DendriteHostOptions>().Single();
        var backups = new DendriteBackups(builder.Resource, host, BackupSettings.From(options, host.VolumePrefix));
        if (options.Encrypt)
        {
            // One passphrase for every backup of this server, local and in the cluster (user secrets, or Parameters:...).
            backups.Passphrase = builder.ApplicationBuilder.AddParameter($"{builder.Resource.Name}-backup-passphrase", secret: true).Resource;
        }

        builder.WithAnnotation(backups);

        // The cluster: a CronJob on the same schedule, keeping the same number (none when Every is off).
        builder.WithKubernetesPublishCheck(() => BackupCronJob.Check(backups.Settings))
            .WithKubernetesObjects(BackupCronJob.ContributeAsync)
            // The same upgrade guard: the StatefulSet's first init step refuses an older release on newer data.
            .WithKubernetesObjects(ReleaseGuardInitContainer.ContributeAsync);
        if (!builder.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            return builder;
        }

        // "When did the last backup succeed, how big was it" as metrics on the dashboard, beside the resource properties.
        BackupMetricsExport.AddTo(builder.ApplicationBuilder, builder.Resource);

        ContainerRuntimeCli.BeforeStart(builder.ApplicationBuilder, (@event, runtime, cancellationToken) =>
            GuardAsync(builder.Resource, backups, @event.Services, runtime, cancellationToken));

        builder.WithCommand(BackUpNowCommand, "Back up now", context => BackUpNowAsync(builder.Resource, backups, context), new CommandOptions
        {
            Description = $"Back up the databases, media, signing key and invites into {backups.Settings.Directory} while Dendrite runs.",
            IconName = "Save",
            UpdateState = _ => backups.IsRunning ? ResourceCommandState.Disabled : ResourceCommandState.Enabled,
        });

        var scheduled = 0;
        builder.OnResourceReady((resource, ready, readyCancellation) =>
        {
            if (backups.Settings.Every is not null && Interlocked.Exchange(ref scheduled, 1) == 0)
            {
                var stopping = ready.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
                _ = Task.Run(async () => await ScheduleAsync(resource, backups, ready.Services, stopping).ConfigureAwait(false), CancellationToken.None);
            }

            return Task.CompletedTask;
        });
        return builder;
    }

    /// <summary>
    /// Before anything starts: refuse an older release on newer data; back up before a newer one migrates it; record the
    /// configured release on the keys volume (before Dendrite starts, so a start that migrates and then fails still counts).
    /// </summary>
    private static async Task GuardAsync(DendriteResource dendrite, DendriteBackups backups, IServiceProvider services, string runtime, CancellationToken cancellationToken)
    {
        var cli = new ContainerCli(runtime);
        var host = backups.Host;
        var keys = $"{host.VolumePrefix}-{DendriteVolume.StorageKeys.Name}";
        var recorded = await ReleaseMarker.ReadAsync(cli, keys, backups.Image, cancellationToken).ConfigureAwait(false);
        var logger = services.GetRequiredService<ResourceLoggerService>().GetLogger(dendrite);
        switch (UpgradeGuard.Decide(recorded, host.ImageTag))
        {
            case UpgradeStep.Refuse:
                throw new DendriteSettingsException([new ConfigFinding(FindingSeverity.Error, $"{DendriteHostOptions.SectionName}:ImageTag",
                    UpgradeGuard.RefusalMessage(recorded!, host.ImageTag, host.VolumePrefix, backups.Settings.Directory))]);
            case UpgradeStep.BackUpThenStart:
                BackupLog.Upgrading(logger, recorded!, host.ImageTag);
                BackupResult result;
                try
                {
                    result = await backups.TakeAsync(services, runtime, BackupReasons.Upgrade, recorded, logger, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is BackupFailedException or BackupRefusedException)
                {
                    throw new DendriteSettingsException([new ConfigFinding(FindingSeverity.Error, $"{DendriteHostOptions.SectionName}:ImageTag",
                        $"upgrading from {recorded} to {host.ImageTag} needs a backup first, and it failed: {e.Message}. Nothing was started; fix that, or keep Dendrite:ImageTag={recorded}")]);
                }

                BackupLog.UpgradeBackup(logger, recorded!, result.Path);
                await ReleaseMarker.WriteAsync(cli, keys, backups.Image, host.ImageTag, cancellationToken).ConfigureAwait(false);
                break;
            default:
                // New data (the volume is made here, before the key step) or data from before the guard: record the release.
                if (recorded != host.ImageTag)
                {
                    await ReleaseMarker.WriteAsync(cli, keys, backups.Image, host.ImageTag, cancellationToken).ConfigureAwait(false);
                }

                break;
        }
    }

    /// <summary>Once Dendrite is healthy: the schedule.</summary>
    private static async Task ScheduleAsync(DendriteResource dendrite, DendriteBackups backups, IServiceProvider services, CancellationToken stopping)
    {
        var logger = services.GetRequiredService<ResourceLoggerService>().GetLogger(dendrite);
        try
        {
            var runtime = await RuntimeAsync(services, stopping).ConfigureAwait(false);
            if (backups.Settings.Every is not { } every)
            {
                return;
            }

            while (!stopping.IsCancellationRequested)
            {
                var due = NextDue(backups.Settings.Directory, dendrite.Settings.ServerName, every, DateTimeOffset.UtcNow);
                BackupLog.NextDue(logger, due, every);
                var wait = due - DateTimeOffset.UtcNow;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, stopping).ConfigureAwait(false);
                }

                try
                {
                    await backups.TakeAsync(services, runtime, BackupReasons.Scheduled, null, logger, stopping).ConfigureAwait(false);
                }
                catch (Exception e) when (e is BackupFailedException or BackupRefusedException or IOException)
                {
                    BackupLog.ScheduledFailed(logger, e.Message);
                    await Task.Delay(TimeSpan.FromMinutes(15), stopping).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The AppHost is stopping.
        }
        catch (Exception e) when (e is BackupFailedException or BackupRefusedException)
        {
            BackupLog.Failed(logger, e.Message);
        }
    }

    /// <summary>When the next scheduled backup is due: <paramref name="every"/> after the newest one, and no sooner than a minute from now.</summary>
    internal static DateTimeOffset NextDue(string directory, string serverName, TimeSpan every, DateTimeOffset now)
    {
        var server = ArchiveName.Safe(serverName);
        var newest = Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory).Select(p => ArchiveName.TryParse(Path.GetFileName(p)))
                .Where(n => n is not null && n.Server == server && n.Reason == BackupReasons.Scheduled)
                .Select(n => (DateTimeOffset?)n!.TakenAt).Max()
            : null;
        var earliest = now + TimeSpan.FromMinutes(1);
        return newest is { } last && last + every > earliest ? last + every : earliest;
    }

    private static async Task<ExecuteCommandResult> BackUpNowAsync(DendriteResource dendrite, DendriteBackups backups, ExecuteCommandContext context)
    {
        var logger = context.Services.GetRequiredService<ResourceLoggerService>().GetLogger(dendrite);
        try
        {
            var runtime = await RuntimeAsync(context.Services, context.CancellationToken).ConfigureAwait(false);
            var result = await backups.TakeAsync(context.Services, runtime, BackupReasons.Manual, null, logger, context.CancellationToken).ConfigureAwait(false);
            var text = string.Create(CultureInfo.InvariantCulture,
                $"**{Path.GetFileName(result.Path)}** ({result.SizeBytes / 1048576.0:0.0} MiB), verified.\n\n- Where: `{result.Path}`\n- Dendrite paused: {result.Pause?.TotalMilliseconds ?? 0:0} ms\n\nIt holds the signing key{(result.Manifest.ContainsSecrets ? " and the secret parameters" : "")}, unencrypted: copy it off this machine somewhere private (restic, rclone, a USB disk).");
            return CommandResults.Success($"Backed up to {result.Path}", text, CommandResultFormat.Markdown, displayImmediately: true);
        }
        catch (Exception e) when (e is BackupFailedException or BackupRefusedException or IOException or UnauthorizedAccessException)
        {
            return CommandResults.Failure($"The backup failed, nothing was written: {e.Message}");
        }
    }

    private static async Task<string> RuntimeAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
#pragma warning disable ASPIRECONTAINERRUNTIME001 // the resolver DCP itself uses: configured or auto-detected runtime
        var runtime = await services.GetRequiredService<IContainerRuntimeResolver>().ResolveAsync(cancellationToken).ConfigureAwait(false);
#pragma warning restore ASPIRECONTAINERRUNTIME001
        return runtime.Name.ToLowerInvariant();
    }
}
