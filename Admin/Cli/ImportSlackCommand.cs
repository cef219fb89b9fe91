using System.CommandLine;
using DendriteAspire.Admin.Accounts;
using DendriteAspire.SlackImport.Export;
using DendriteAspire.SlackImport.Planning;
using DendriteAspire.SlackImport.Writing;

namespace DendriteAspire.Admin.Cli;

/// <summary>
/// <c>import-slack &lt;export&gt;</c>: imports a Slack export (ZIP or folder) through the import's
/// application-service registration (<c>Dendrite:Import:Enabled</c>). Reads and checks the whole export and the
/// mapping first: bad input exits 2 with nothing written. <c>--dry-run</c> prints the plan and writes nothing. A
/// second run adds only what is missing. The token comes from <c>--import-token-file</c> or
/// <c>$DENDRITE_IMPORT_TOKEN</c>, never from an argument.
/// </summary>
internal sealed class ImportSlackCommand : AdminCommand
{
    public const string ImportTokenVariable = "DENDRITE_IMPORT_TOKEN";

    private readonly Argument<string> _export = new("export") { Description = "The Slack export: the ZIP Slack wrote, or the folder it unpacks to." };
    private readonly Option<FileInfo> _map = new("--map") { Description = "A mapping file: one Slack member id and a user name per line (U0123ABCD=alice); overrides the default (the Slack handle)." };
    private readonly Option<bool> _dryRun = new("--dry-run") { Description = "Print the plan (people, conversations, messages, files) and write nothing." };
    private readonly Option<FileInfo> _tokenFile = new("--import-token-file") { Description = $"A file holding the import token, dendrite-import-token (otherwise ${ImportTokenVariable})." };
    private readonly Option<FileInfo> _sharedSecretFile = AdminOptions.SharedSecretFile();
    private readonly Option<string> _adminUser = new("--admin-user") { Description = "The bootstrap admin, put in every imported room.", DefaultValueFactory = _ => AdminOptions.DefaultAdminUser };
    private readonly Option<bool> _fetchFiles = new("--fetch-files") { Description = "Download files the export holds only as Slack links (url_private_download) and upload them. Off by default: nothing is fetched from Slack." };
    private readonly Option<FileInfo> _slackTokenFile = new("--slack-token-file") { Description = "With --fetch-files: a file holding a Slack token with files:read (otherwise only links that carry their own t= token are fetched)." };
    private readonly Option<int> _parallel = new("--parallel") { Description = "How many conversations to write side by side (order inside each room is kept).", DefaultValueFactory = _ => SlackImportOptions.DefaultParallelism };
    private readonly Option<string> _spaceName = new("--space-name") { Description = "The Space that holds the imported rooms: the workspace's name.", DefaultValueFactory = _ => "Slack" };

    public ImportSlackCommand(CliEnvironment environment)
        : base("import-slack", "Import a Slack export into this server (needs Dendrite:Import:Enabled); running it again adds only what is missing.", environment)
    {
        Arguments.Add(_export);
        Options.Add(_map);
        Options.Add(_dryRun);
        Options.Add(_tokenFile);
        Options.Add(_sharedSecretFile);
        Options.Add(_adminUser);
        Options.Add(_spaceName);
        Options.Add(_parallel);
        Options.Add(_fetchFiles);
        Options.Add(_slackTokenFile);
    }

    protected override async Task<int> ExecuteAsync(ParseResult result, Func<FamilyAccountsOptions, FamilyAccounts> connect, CancellationToken cancellationToken)
    {
        var token = AdminOptions.ReadSecret(result.GetValue(_tokenFile), ImportTokenVariable, Environment.GetVariable, "import token (dendrite-import-token)", "--import-token-file");
        var secretFile = result.GetValue(_sharedSecretFile);
        var sharedSecret = secretFile is not null
            ? AdminOptions.ReadFile(secretFile, "registration shared secret", "--shared-secret-file")
            : Environment.GetVariable(AdminOptions.SharedSecretVariable)?.Trim();
        var parallel = result.GetValue(_parallel);
        if (parallel is < 1 or > 32)
        {
            return Fail(ExitCodes.BadInput, $"--parallel {parallel}: give a number of conversations from 1 to 32");
        }

        var slackTokenFile = result.GetValue(_slackTokenFile);
        var fetchFiles = result.GetValue(_fetchFiles);
        if (slackTokenFile is not null && !fetchFiles)
        {
            return Fail(ExitCodes.BadInput, "--slack-token-file is only used with --fetch-files; add --fetch-files to download files from Slack");
        }

        var slackToken = slackTokenFile is null ? null : AdminOptions.ReadFile(slackTokenFile, "Slack token", "--slack-token-file");
        using var slackHttp = fetchFiles ? SlackFileFetcher.CreateHttpClient() : null;
        try
        {
            var options = new SlackImportOptions
            {
                Admin = UserName.Parse(result.GetValue(_adminUser) ?? AdminOptions.DefaultAdminUser),
                SpaceName = result.GetValue(_spaceName) is { Length: > 0 } space ? space : "Slack",
                ServerName = result.GetValue(ServerNameOption),
                DryRun = result.GetValue(_dryRun),
                Parallelism = parallel,
                FetchFiles = slackHttp is null ? null : new SlackFileFetcher(slackHttp, slackToken),
                SharedSecret = string.IsNullOrEmpty(sharedSecret) ? null : sharedSecret,
                Map = result.GetValue(_map) is { } map ? UserMapping.ReadFile(map.FullName) : new Dictionary<string, UserName>(),
            };
            using var http = Environment.CreateHttpClient(result.GetRequiredValue(HomeserverOption));
            var importer = new SlackImporter(http, token, Environment.Stderr);
            var report = await importer.RunAsync(result.GetRequiredValue(_export), options, cancellationToken).ConfigureAwait(false);
            report.Print(Environment.Stdout);
            return ExitCodes.Success;
        }
        catch (SlackExportException e)
        {
            return Fail(ExitCodes.BadInput, e.Message);
        }
        catch (InvalidUserNameException e)
        {
            return Fail(ExitCodes.BadInput, "--admin-user: " + e.Message);
        }
    }
}
