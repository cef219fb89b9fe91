using System.CommandLine;
using DendriteAspire.Backup.Runtime;
using DendriteAspire.Backup.Secrets;

namespace DendriteAspire.Admin.Cli.Backups;

/// <summary>
/// <c>restore ARCHIVE</c>: onto the volumes of <c>--volume-prefix</c> (empty or missing; with <c>--replace</c> also ones
/// holding data), only after the archive verified whole. Refusals exit 2 and change nothing.
/// </summary>
internal sealed class RestoreCommand : BackupCliCommand
{
    private readonly Argument<FileInfo> _archive = new("archive") { Description = "The archive (.tar.zst or .tar.zst.enc)." };
    private readonly Option<string> _volumePrefix = VolumePrefixOption();
    private readonly Option<string> _image = ImageOption();
    private readonly Option<DirectoryInfo> _onboarding = OnboardingDataOption();

    private readonly Option<bool> _replace = new("--replace")
    {
        Description = "Replace volumes (and invites.db, and differing secret parameters) that hold data. The server must be stopped.",
    };

    public RestoreCommand(CliEnvironment environment)
        : base("restore", "Restore an archive onto the server's volumes (stopped; empty unless --replace).", environment)
    {
        Arguments.Add(_archive);
        Options.Add(_volumePrefix);
        Options.Add(_image);
        Options.Add(_onboarding);
        Options.Add(_replace);
    }

    protected override async Task<int> ExecuteAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var prefix = result.GetRequiredValue(_volumePrefix);
        var replace = result.GetValue(_replace);
        var restored = await ServerRestore.RunAsync(Runtime(), new RestoreOptions
        {
            ArchivePath = result.GetRequiredValue(_archive).FullName,
            Passphrase = ReadPassphrase(result),
            VolumePrefix = prefix,
            DendriteImage = result.GetRequiredValue(_image),
            OnboardingDataDirectory = OnboardingDirectory(result.GetValue(_onboarding), prefix),
            Replace = replace,
            Progress = Progress,
        }, cancellationToken).ConfigureAwait(false);

        var stdout = Environment.Stdout;
        stdout.WriteLine($"restored: {restored.Manifest.ServerName} ({restored.Manifest.DatabaseProvider}, Dendrite {restored.Manifest.Release}) onto {string.Join(", ", restored.Volumes)}");
        if (restored.Secrets.Count > 0)
        {
            var path = AppHostSecrets.DefaultPath();
            var kept = AppHostSecrets.Write(path, restored.Secrets, replace);
            stdout.WriteLine($"secret parameters: written to the AppHost's user secrets ({path})");
            foreach (var name in kept)
            {
                stdout.WriteLine($"warning: {name} is already set to another value and was kept (--replace to take the archive's)");
            }
        }

        stdout.WriteLine($"start it with: dotnet run --project AppHost -- --Dendrite:VolumePrefix={prefix}" +
            (restored.Manifest.DatabaseProvider == "Postgres" ? " --Dendrite:Database:Provider=Postgres" : ""));
        return ExitCodes.Success;
    }
}
