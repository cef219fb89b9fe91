using System.CommandLine;
using DendriteAspire.Admin.Accounts;

namespace DendriteAspire.Admin.Cli;

/// <summary>
/// <c>reindex-search</c>: asks Dendrite to rebuild its full-text search index (after moving from SQLite to
/// Postgres). Prints <c>reindex started</c>; the reindex runs in the background.
/// </summary>
internal sealed class ReindexSearchCommand : AdminCommand
{
    private readonly Option<string> _adminUser = AdminOptions.AdminUser();
    private readonly Option<FileInfo> _adminPasswordFile = AdminOptions.AdminPasswordFile();

    public ReindexSearchCommand(CliEnvironment environment)
        : base("reindex-search", "Start Dendrite's full-text search reindex (admin API).", environment)
    {
        Options.Add(_adminUser);
        Options.Add(_adminPasswordFile);
    }

    protected override async Task<int> ExecuteAsync(ParseResult result, Func<FamilyAccountsOptions, FamilyAccounts> connect, CancellationToken cancellationToken)
    {
        var admin = AdminOptions.ReadAdmin(result.GetValue(_adminUser), result.GetValue(_adminPasswordFile), Environment.GetVariable);
        var accounts = connect(new FamilyAccountsOptions { Admin = admin });
        await accounts.ReindexSearchAsync(cancellationToken).ConfigureAwait(false);
        Environment.Stdout.WriteLine("reindex started");
        return ExitCodes.Success;
    }
}
