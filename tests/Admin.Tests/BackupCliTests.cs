using DendriteAspire.Admin.Cli;
using DendriteAspire.Backup.Archive;

namespace DendriteAspire.Admin.Tests;

/// <summary>
/// The backup commands' contract without a container runtime: <c>verify</c> on good and damaged archives, the
/// passphrase only from a file or the variable, and the exit codes (0 good, 2 refused with the reason).
/// </summary>
public sealed class BackupCliTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dendrite-backup-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task<string> ArchiveAsync(string? passphrase)
    {
        var manifest = new BackupManifest { ServerName = "family.example", DatabaseProvider = "Sqlite", Release = "v0.15.2", TakenAt = DateTimeOffset.UtcNow };
        var path = Path.Combine(_directory, ArchiveName.For(manifest, passphrase is not null));
        await using var writer = BackupArchiveWriter.Create(path, passphrase, iterations: 1000);
        await writer.AddBytesAsync("volumes/media/ab/file", [1, 2, 3, 4], 0b110_100_100, DateTimeOffset.UtcNow, TestContext.Current.CancellationToken);
        await writer.CompleteAsync(manifest, TestContext.Current.CancellationToken);
        return path;
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> Run(Dictionary<string, string>? variables, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var environment = new CliEnvironment(stdout, stderr, name => variables is not null && variables.TryGetValue(name, out var value) ? value : null);
        var code = await AdminCommandLine.RunAsync(args, environment, TestContext.Current.CancellationToken);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Verify_GoodArchive_ExitsZero_WithASummary()
    {
        var path = await ArchiveAsync(null);
        var (code, stdout, stderr) = await Run(null, "verify", path);
        Assert.True(code == ExitCodes.Success, stderr);
        Assert.Contains($"ok: {path}", stdout, StringComparison.Ordinal);
        Assert.Contains("server: family.example, Sqlite, Dendrite v0.15.2", stdout, StringComparison.Ordinal);
        Assert.Contains("checksums match", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_TamperedArchive_ExitsTwo_WithTheReason()
    {
        var path = await ArchiveAsync(null);
        var bytes = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);
        bytes[bytes.Length / 2] ^= 0x40;
        await File.WriteAllBytesAsync(path, bytes, TestContext.Current.CancellationToken);
        var (code, stdout, stderr) = await Run(null, "verify", path);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.StartsWith("error: ", stderr, StringComparison.Ordinal);
        Assert.Empty(stdout);
    }

    [Fact]
    public async Task Verify_EncryptedArchive_TakesThePassphraseFromAFileOrTheVariable_AndRefusesAWrongOne()
    {
        var path = await ArchiveAsync("a long family passphrase");
        var good = Path.Combine(_directory, "good");
        await File.WriteAllTextAsync(good, "a long family passphrase\n", TestContext.Current.CancellationToken);
        Assert.Equal(ExitCodes.Success, (await Run(null, "verify", path, "--passphrase-file", good)).ExitCode);
        Assert.Equal(ExitCodes.Success, (await Run(new() { ["DENDRITE_BACKUP_PASSPHRASE"] = "a long family passphrase" }, "verify", path)).ExitCode);

        var wrong = Path.Combine(_directory, "wrong");
        await File.WriteAllTextAsync(wrong, "not it", TestContext.Current.CancellationToken);
        var (code, _, stderr) = await Run(null, "verify", path, "--passphrase-file", wrong);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("error: wrong passphrase", stderr, StringComparison.Ordinal);

        var (none, _, noneErr) = await Run(null, "verify", path);
        Assert.Equal(ExitCodes.BadInput, none);
        Assert.Contains("--passphrase-file", noneErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backup_RefusesAShortPassphrase_BeforeTouchingAnything()
    {
        var (code, _, stderr) = await Run(new() { ["DENDRITE_BACKUP_PASSPHRASE"] = "short" }, "backup", "--output", Path.Combine(_directory, "out"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("use at least 12", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_directory, "out")));
    }

    [Fact]
    public async Task Backup_WithoutOutput_IsAUsageError() =>
        Assert.Equal(ExitCodes.BadInput, (await Run(null, "backup")).ExitCode);

    [Fact]
    public async Task Passphrase_IsNeverAnArgument() =>
        Assert.Equal(ExitCodes.BadInput, (await Run(null, "verify", "x.tar.zst", "--passphrase", "secret")).ExitCode);
}
