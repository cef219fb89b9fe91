using Aspire.Hosting.ApplicationModel;
using DendriteAspire.Backup.Archive;
using DendriteAspire.Hosting;

namespace DendriteAspire.AppHost.Tests;

/// <summary>
/// Backups on the model: the Dendrite:Backup settings (bad ones refused before anything starts), the "Back up now"
/// command on dendrite, the schedule, and the upgrade guard's decision: a recorded newer release refuses an older tag
/// (naming the backup to restore), a recorded older release means a backup before starting.
/// </summary>
public class BackupModelTests
{
    [Fact]
    public async Task Dendrite_HasABackUpNowCommand_AndTheDefaultSchedule()
    {
        await using var app = await AppModel.BuildAsync("--Dendrite:VolumePrefix=backup-model");
        var dendrite = app.Resource<DendriteResource>("dendrite");
        var command = Assert.Single(dendrite.Annotations.OfType<ResourceCommandAnnotation>(), c => c.Name == "back-up-now");
        Assert.Equal("Back up now", command.DisplayName);
        var backups = Assert.Single(dendrite.Annotations.OfType<DendriteBackups>());
        Assert.Equal(TimeSpan.FromHours(24), backups.Settings.Every);
        Assert.Equal(7, backups.Settings.Keep);
        Assert.False(backups.Settings.IncludeSecrets);
        Assert.EndsWith(Path.Combine("dendrite-aspire", "backup-model-backups"), backups.Settings.Directory, StringComparison.Ordinal);
        Assert.Equal("docker.io/matrixdotorg/dendrite-monolith:v0.15.2", backups.Image);
    }

    [Fact]
    public async Task Backup_Settings_AreRead()
    {
        var directory = Path.Combine(Path.GetTempPath(), "family-backups");
        await using var app = await AppModel.BuildAsync($"--Dendrite:Backup:Directory={directory}", "--Dendrite:Backup:Every=7d", "--Dendrite:Backup:Keep=3",
            "--Dendrite:Backup:IncludeSecrets=true");
        var settings = Assert.Single(app.Resource<DendriteResource>("dendrite").Annotations.OfType<DendriteBackups>()).Settings;
        Assert.Equal(new BackupSettings(directory, TimeSpan.FromDays(7), 3, IncludeSecrets: true), settings);

        await using var off = await AppModel.BuildAsync("--Dendrite:Backup:Every=off");
        Assert.Null(Assert.Single(off.Resource<DendriteResource>("dendrite").Annotations.OfType<DendriteBackups>()).Settings.Every);
    }

    [Theory]
    [InlineData("Every", "daily", "error: Dendrite:Backup:Every: \"daily\" is not an interval; use a number with m, h or d (such as 24h or 7d), or off")]
    [InlineData("Every", "5m", "error: Dendrite:Backup:Every: 5m is too often; use at least 15m")]
    [InlineData("Keep", "0", "error: Dendrite:Backup:Keep: \"0\" is not a number of backups to keep; use 1 or more, such as 7")]
    [InlineData("IncludeSecrets", "maybe", "error: Dendrite:Backup:IncludeSecrets: \"maybe\" is not true or false")]
    [InlineData("Evry", "24h", "error: Dendrite:Backup:Evry")]
    public async Task Bad_Backup_Setting_IsRefused_NamingTheKey(string key, string value, string expected)
    {
        var error = await Assert.ThrowsAsync<DendriteSettingsException>(() => AppModel.BuildAsync($"--Dendrite:Backup:{key}={value}"));
        Assert.Contains(DendriteAppHost.Lines(error), line => line.StartsWith(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, "v0.15.2", "Start")]
    [InlineData("v0.15.2", "v0.15.2", "Start")]
    [InlineData("v0.13.8", "v0.15.2", "BackUpThenStart")]
    [InlineData("v0.15.1", "v0.15.2", "BackUpThenStart")]
    [InlineData("v0.15.2", "v0.13.8", "Refuse")]
    [InlineData("v0.16.0", "v0.15.2", "Refuse")]
    public void UpgradeGuard_Decides_FromTheRecordedRelease(string? recorded, string configured, string expected) =>
        Assert.Equal(Enum.Parse<UpgradeStep>(expected), UpgradeGuard.Decide(recorded, configured));

    [Fact]
    public void UpgradeGuard_Refusal_NamesTheBackupToRestore()
    {
        var directory = Directory.CreateTempSubdirectory("backup-model-").FullName;
        try
        {
            var draft = new BackupManifest { ServerName = "family.example", DatabaseProvider = "Sqlite", Release = "v0.15.2", TakenAt = DateTimeOffset.UtcNow };
            var older = Path.Combine(directory, ArchiveName.For(draft with { Reason = BackupReasons.Upgrade, UpgradeFrom = "v0.13.8", TakenAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero) }, false));
            var newest = Path.Combine(directory, ArchiveName.For(draft with { Reason = BackupReasons.Upgrade, UpgradeFrom = "v0.13.8", TakenAt = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero) }, false));
            var otherRelease = Path.Combine(directory, ArchiveName.For(draft with { Reason = BackupReasons.Upgrade, UpgradeFrom = "v0.14.1", TakenAt = new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.Zero) }, false));
            foreach (var path in new[] { older, newest, otherRelease })
            {
                File.WriteAllText(path, "");
            }

            var message = UpgradeGuard.RefusalMessage("v0.15.2", "v0.13.8", "family", directory);
            Assert.StartsWith("v0.13.8 is older than v0.15.2, the release that last ran on the data of volume prefix 'family'", message, StringComparison.Ordinal);
            Assert.Contains($"restore {newest} --volume-prefix family", message, StringComparison.Ordinal);
            Assert.Contains("Dendrite:ImageTag=v0.15.2", message, StringComparison.Ordinal);

            var none = UpgradeGuard.RefusalMessage("v0.15.2", "v0.14.0", "family", directory);
            Assert.Contains("no backup taken before upgrading from v0.14.0", none, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Schedule_IsDue_EveryAfterTheNewestScheduledBackup()
    {
        var directory = Directory.CreateTempSubdirectory("backup-schedule-").FullName;
        try
        {
            var now = new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
            Assert.Equal(now.AddMinutes(1), BackupBuilderExtensions.NextDue(directory, "family.example", TimeSpan.FromHours(24), now));

            var draft = new BackupManifest { ServerName = "family.example", DatabaseProvider = "Sqlite", Release = "v0.15.2", TakenAt = now.AddHours(-3), Reason = BackupReasons.Scheduled };
            File.WriteAllText(Path.Combine(directory, ArchiveName.For(draft, false)), "");
            File.WriteAllText(Path.Combine(directory, ArchiveName.For(draft with { TakenAt = now.AddHours(-1), Reason = BackupReasons.Manual }, false)), "");
            Assert.Equal(now.AddHours(21), BackupBuilderExtensions.NextDue(directory, "family.example", TimeSpan.FromHours(24), now));
            Assert.Equal(now.AddMinutes(1), BackupBuilderExtensions.NextDue(directory, "family.example", TimeSpan.FromHours(2), now));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
