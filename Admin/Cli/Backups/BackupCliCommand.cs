using System.CommandLine;
using System.Globalization;
using DendriteAspire.Backup;
using DendriteAspire.Backup.Runtime;

namespace DendriteAspire.Admin.Cli.Backups;

/// <summary>
/// What <c>backup</c>, <c>restore</c> and <c>verify</c> share: the server's volume prefix, the passphrase (from a file or
/// <c>DENDRITE_BACKUP_PASSPHRASE</c>, never an argument), the Dendrite image, and the exit codes: a refusal (a damaged
/// archive, a wrong passphrase, a newer release, a target with data) exits 2 with its reason and nothing changed; a
/// runtime or tool failure exits 1 with its last lines.
/// </summary>
internal abstract class BackupCliCommand : Command
{
    public const string PassphraseVariable = "DENDRITE_BACKUP_PASSPHRASE";
    public const string DefaultImage = "docker.io/matrixdotorg/dendrite-monolith:v0.15.2";
    public const string DefaultVolumePrefix = "dendriteaspire";

    protected BackupCliCommand(string name, string description, CliEnvironment environment)
        : base(name, description)
    {
        Environment = environment;
        Options.Add(PassphraseFileOption);
        SetAction((result, cancellationToken) => RunAsync(result, cancellationToken));
    }

    protected CliEnvironment Environment { get; }

    protected Option<FileInfo> PassphraseFileOption { get; } = new("--passphrase-file")
    {
        Description = $"A file holding the archive's passphrase (otherwise ${PassphraseVariable}; without either the archive is not encrypted).",
    };

    protected static Option<string> VolumePrefixOption() => new("--volume-prefix")
    {
        Description = "The server's volume prefix (Dendrite:VolumePrefix).",
        DefaultValueFactory = _ => DefaultVolumePrefix,
    };

    protected static Option<string> ImageOption() => new("--image")
    {
        Description = "The configured Dendrite image with its release tag (Dendrite:Registry/Image:ImageTag); one-off containers run it.",
        DefaultValueFactory = _ => DefaultImage,
    };

    protected static Option<DirectoryInfo> OnboardingDataOption() => new("--onboarding-data")
    {
        Description = "The onboarding service's data directory (invites.db); default ~/.local/share/dendrite-aspire/<prefix>-onboarding-data.",
    };

    /// <summary>The onboarding data directory the AppHost uses for a prefix (Hosting's OnboardingBuilderExtensions.LocalDataDirectory).</summary>
    protected static string OnboardingDirectory(DirectoryInfo? given, string prefix) =>
        given?.FullName ?? Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.LocalApplicationData),
            "dendrite-aspire", $"{prefix}-onboarding-data");

    /// <summary>The passphrase from the file or the variable; null when neither is given.</summary>
    protected string? ReadPassphrase(ParseResult result)
    {
        var file = result.GetValue(PassphraseFileOption);
        if (file is not null)
        {
            // Unlike other secrets, not trimmed inside: only a final newline is dropped.
            return AdminOptions.ReadFile(file, "passphrase", "--passphrase-file");
        }

        var value = Environment.GetVariable(PassphraseVariable);
        return string.IsNullOrEmpty(value) ? null : value;
    }

    protected ContainerCli Runtime() => ContainerCli.FromEnvironment(Environment.GetVariable);

    protected abstract Task<int> ExecuteAsync(ParseResult result, CancellationToken cancellationToken);

    private async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        try
        {
            return await ExecuteAsync(result, cancellationToken).ConfigureAwait(false);
        }
        catch (BackupRefusedException e)
        {
            return Fail(ExitCodes.BadInput, e.Message);
        }
        catch (CredentialException e)
        {
            return Fail(ExitCodes.BadInput, e.Message);
        }
        catch (BackupFailedException e)
        {
            return Fail(ExitCodes.Refused, e.Message);
        }
    }

    protected int Fail(int exitCode, string message)
    {
        Environment.Stderr.WriteLine($"error: {message}");
        return exitCode;
    }

    protected void Progress(string line) => Environment.Stderr.WriteLine(line);

    protected static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.0} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.0} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
    };
}
