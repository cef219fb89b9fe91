using DendriteAspire.Backup.Runtime;

namespace DendriteAspire.Integration.Tests;

/// <summary>
/// Issue 20's upgrade guard on the real AppHost and runtime. The release that last ran is recorded on the keys volume:
/// a recorded newer release makes the AppHost refuse the configured older one before anything starts (exit 2, naming
/// the fix); a recorded older release makes it back up first (an archive named upgrade-from-that-release), then start,
/// and record the new release. The dashboard's "Back up now" writes a manual archive beside it.
/// </summary>
[Trait("Category", "Live")]
public class UpgradeGuardTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Data_FromANewerRelease_IsRefused_BeforeAnythingStarts()
    {
        var runtime = await LiveEnvironment.RequireAsync(withPostgres: false);
        var ct = TestContext.Current.CancellationToken;
        var prefix = VolumePrefix.New("guard-newer");
        var backups = Directory.CreateTempSubdirectory("dendrite-guard-");
        try
        {
            var cli = new ContainerCli(runtime.Name);
            await cli.RunAsync(TimeSpan.FromMinutes(1), ct, "volume", "create", $"{prefix}-storage-keys");
            await ReleaseMarker.WriteAsync(cli, $"{prefix}-storage-keys", LiveEnvironment.DendriteImage, "v0.99.0", ct);

            using var appHost = AppHostCommandLine.Start(
                [$"--Dendrite:VolumePrefix={prefix}", "--Dendrite:HostPort=0", $"--DcpPublisher:ContainerRuntime={runtime.Name}", $"--Dendrite:Backup:Directory={backups.FullName}"]);
            var deadline = DateTime.UtcNow + ExitTimeout;
            while (!appHost.HasExited && DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
            }

            Assert.True(appHost.HasExited, $"the AppHost still runs {ExitTimeout.TotalMinutes:0} min after start; its output:\n{appHost.Output}");
            Assert.True(appHost.ExitCode == 2, $"the AppHost exited {appHost.ExitCode}, not 2; its output:\n{appHost.Output}");
            Assert.Contains($"error: Dendrite:ImageTag: {LiveEnvironment.DefaultDendriteTag} is older than v0.99.0, the release that last ran on the data of volume prefix '{prefix}'",
                appHost.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", appHost.Output, StringComparison.Ordinal);

            // Nothing ran on the data: no Dendrite container, the record unchanged, no other volume made.
            Assert.Empty(await runtime.RunningContainersWithVolumeAsync($"{prefix}-storage-keys", ct));
            Assert.Equal("v0.99.0", await ReleaseMarker.ReadAsync(cli, $"{prefix}-storage-keys", LiveEnvironment.DendriteImage, ct));
            Assert.Equal([$"{prefix}-storage-keys"], await runtime.ListVolumesAsync(prefix + "-", ct));
        }
        finally
        {
            await VolumePrefix.RemoveVolumesAsync(runtime, prefix, withPostgres: false);
            backups.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Data_FromAnOlderRelease_IsBackedUp_BeforeTheNewReleaseStarts()
    {
        var runtime = await LiveEnvironment.RequireAsync(withPostgres: false);
        var ct = TestContext.Current.CancellationToken;
        var prefix = VolumePrefix.New("guard-older");
        var backups = Directory.CreateTempSubdirectory("dendrite-guard-");
        try
        {
            // A server that ran (its key and databases exist), then its record is set back to an older release.
            await using (var first = await DendriteApp.StartAsync(runtime, prefix, ["--Dendrite:Backup:Every=off", $"--Dendrite:Backup:Directory={backups.FullName}"], ct))
            {
                await Conversation.RegisterAsync(first, "mum", admin: false, ct);
            }

            var cli = new ContainerCli(runtime.Name);
            Assert.Equal(LiveEnvironment.DefaultDendriteTag, await ReleaseMarker.ReadAsync(cli, $"{prefix}-storage-keys", LiveEnvironment.DendriteImage, ct));
            Assert.Empty(Directory.GetFiles(backups.FullName));
            await ReleaseMarker.WriteAsync(cli, $"{prefix}-storage-keys", LiveEnvironment.DendriteImage, "v0.13.8", ct);

            await using (var upgraded = await DendriteApp.StartAsync(runtime, prefix, ["--Dendrite:Backup:Every=off", $"--Dendrite:Backup:Directory={backups.FullName}"], ct))
            {
                var archive = Assert.Single(Directory.GetFiles(backups.FullName));
                Assert.Contains("-upgrade-from-v0.13.8-key.tar.zst", archive, StringComparison.Ordinal);
                Assert.Equal(LiveEnvironment.DefaultDendriteTag, await ReleaseMarker.ReadAsync(cli, $"{prefix}-storage-keys", LiveEnvironment.DendriteImage, ct));
                var verified = await DendriteAspire.Backup.Archive.ArchiveVerifier.VerifyAsync(archive, null, ct);
                Assert.Equal("upgrade", verified.Manifest.Reason);
                Assert.Contains(verified.Manifest.Files, f => f.Path == "volumes/sqlite/userapi.db");

                // The dashboard's "Back up now": a manual archive beside it, verified, its path in the result.
                var result = await upgraded.App.ResourceCommands.ExecuteCommandAsync("dendrite", "back-up-now", ct);
                Assert.True(result.Success, result.Message);
                var manual = Assert.Single(Directory.GetFiles(backups.FullName), f => f.Contains("-manual-key.tar.zst", StringComparison.Ordinal));
                Assert.Contains(manual, result.Message, StringComparison.Ordinal);
                Assert.Equal("manual", (await DendriteAspire.Backup.Archive.ArchiveVerifier.VerifyAsync(manual, null, ct)).Manifest.Reason);
            }
        }
        finally
        {
            await VolumePrefix.RemoveVolumesAsync(runtime, prefix, withPostgres: false);
            backups.Delete(recursive: true);
        }
    }
}
