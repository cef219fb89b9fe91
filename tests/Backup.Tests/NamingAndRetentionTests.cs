using DendriteAspire.Backup.Archive;

namespace DendriteAspire.Backup.Tests;

/// <summary>Archive names say what is inside; retention keeps the newest N scheduled archives and nothing else.</summary>
public sealed class NamingAndRetentionTests : IDisposable
{
    private readonly Archives _archives = new();

    public void Dispose() => _archives.Dispose();

    [Fact]
    public void Name_SaysServerTimeReason_AndThatItHoldsTheKey()
    {
        Assert.Equal("family.example-20261205-043000Z-manual-key.tar.zst", ArchiveName.For(Archives.Draft(), encrypted: false));
        Assert.Equal("family.example-20261205-043000Z-manual-key-secrets.tar.zst.enc",
            ArchiveName.For(Archives.Draft() with { ContainsSecrets = true }, encrypted: true));
    }

    [Fact]
    public void Upgrade_Backup_IsNamedWithUpgradeAndTheOldRelease()
    {
        var name = ArchiveName.For(Archives.Draft() with { Reason = BackupReasons.Upgrade, UpgradeFrom = "v0.13.8" }, encrypted: false);
        Assert.Equal("family.example-20261205-043000Z-upgrade-from-v0.13.8-key.tar.zst", name);
        var parsed = ArchiveName.TryParse(name)!;
        Assert.Equal(("family.example", BackupReasons.Upgrade, "v0.13.8"), (parsed.Server, parsed.Reason, parsed.UpgradeFrom));
        Assert.Equal(new DateTimeOffset(2026, 12, 5, 4, 30, 0, TimeSpan.Zero), parsed.TakenAt);
    }

    [Fact]
    public void Name_OfAServerWithAPort_IsAFileName()
    {
        var name = ArchiveName.For(Archives.Draft() with { ServerName = "family.example:8448" }, encrypted: false);
        Assert.StartsWith("family.example_8448-", name, StringComparison.Ordinal);
        Assert.Equal("family.example_8448", ArchiveName.TryParse(name)!.Server);
    }

    [Theory]
    [InlineData("notes.txt")]
    [InlineData("family.example-20261205-043000Z-manual-key.tar.zst.partial")]
    [InlineData("family.example-2026125-043000Z-manual.tar.zst")]
    public void Other_Files_AreNotArchives(string name) => Assert.Null(ArchiveName.TryParse(name));

    [Fact]
    public void Retention_KeepsTheNewestScheduled_AndNeverTouchesManualUpgradeOrOtherServers()
    {
        var start = new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);
        var scheduled = Enumerable.Range(0, 6).Select(day => Touch(Archives.Draft(takenAt: start.AddDays(day), reason: BackupReasons.Scheduled))).ToList();
        var manual = Touch(Archives.Draft(takenAt: start.AddDays(-30)));
        var upgrade = Touch(Archives.Draft(takenAt: start.AddDays(-40), reason: BackupReasons.Upgrade) with { UpgradeFrom = "v0.13.8" });
        var otherServer = Touch(Archives.Draft(takenAt: start.AddDays(-50), reason: BackupReasons.Scheduled) with { ServerName = "other.example" });
        var partial = Path.Combine(_archives.Directory, "family.example-20261101-030000Z-scheduled-key.tar.zst.partial");
        File.WriteAllText(partial, "");

        var removed = Retention.Apply(_archives.Directory, "family.example", keep: 3);

        Assert.Equal(scheduled.Take(3).Order(StringComparer.Ordinal), removed.Order(StringComparer.Ordinal));
        Assert.All(scheduled.Skip(3).Append(manual).Append(upgrade).Append(otherServer).Append(partial), path => Assert.True(File.Exists(path), path));
    }

    [Fact]
    public void Retention_KeepsAtLeastOne() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Retention.Apply(_archives.Directory, "family.example", keep: 0));

    [Fact]
    public void Manifest_RoundTripsAsJson_AndRefusesAnUnknownLayout()
    {
        var manifest = Archives.Draft() with
        {
            Migrations = new(StringComparer.Ordinal) { ["roomserver"] = [new SchemaMigration("roomserver: a", "0.15.2")] },
            Files = [new ManifestFile("settings.json", 2, new string('a', 64), 420)],
        };
        var back = BackupManifest.Parse(manifest.ToJson());
        Assert.Equal(manifest.Files, back.Files);
        Assert.Equal(manifest.Migrations["roomserver"], back.Migrations["roomserver"]);
        Assert.Equal(manifest.TakenAt, back.TakenAt);

        var future = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(manifest.ToJson()).Replace("\"format\": 1", "\"format\": 2", StringComparison.Ordinal));
        Assert.Contains("layout 2", Assert.Throws<BackupRefusedException>(() => BackupManifest.Parse(future)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v0.15.2", "0.15.2", 0, 15, 2)]
    [InlineData("v0.13.8", "0.16.1+a1b2c3", 0, 16, 1)]
    [InlineData("v0.15.2", "garbage", 0, 15, 2)]
    public void NewestRelease_IsTheReleaseOrANewerSchemaVersion(string release, string schema, int major, int minor, int patch)
    {
        var manifest = Archives.Draft(release) with
        {
            Migrations = new(StringComparer.Ordinal) { ["roomserver"] = [new SchemaMigration("x", schema)] },
        };
        Assert.Equal(new Version(major, minor, patch), manifest.NewestRelease);
    }

    private string Touch(BackupManifest manifest)
    {
        var path = Path.Combine(_archives.Directory, ArchiveName.For(manifest, encrypted: false));
        File.WriteAllText(path, "");
        return path;
    }
}
