using System.CommandLine;
using System.Globalization;
using DendriteAspire.Backup.Archive;

namespace DendriteAspire.Admin.Cli.Backups;

/// <summary>
/// <c>verify ARCHIVE</c>: reads the archive whole, checks every checksum and that its databases open, touches no server.
/// Exit 0 and a summary when it is good; exit 2 with the reason when not.
/// </summary>
internal sealed class VerifyCommand : BackupCliCommand
{
    private readonly Argument<FileInfo> _archive = new("archive") { Description = "The archive (.tar.zst or .tar.zst.enc)." };

    public VerifyCommand(CliEnvironment environment)
        : base("verify", "Check an archive: every checksum, the manifest, that its databases open. Touches no server.", environment)
    {
        Arguments.Add(_archive);
    }

    protected override async Task<int> ExecuteAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var archive = result.GetRequiredValue(_archive);
        var verified = await ArchiveVerifier.VerifyAsync(archive.FullName, ReadPassphrase(result), cancellationToken).ConfigureAwait(false);
        var manifest = verified.Manifest;
        var stdout = Environment.Stdout;
        stdout.WriteLine($"ok: {archive.FullName}");
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"server: {manifest.ServerName}, {manifest.DatabaseProvider}, Dendrite {manifest.Release}, taken {manifest.TakenAt:yyyy-MM-dd HH:mm:ss}Z ({manifest.Reason})"));
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"files: {manifest.Files.Count} ({Size(verified.ContentBytes)}), checksums match; databases opened: {verified.DatabasesOpened}"));
        stdout.WriteLine($"holds: {(manifest.ContainsSecrets ? "the signing key and the secret parameters" : "the signing key")}");
        return ExitCodes.Success;
    }
}
