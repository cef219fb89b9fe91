using System.CommandLine;
using DendriteAspire.Admin.Accounts;

namespace DendriteAspire.Admin.Cli;

/// <summary>
/// <c>whoami</c>: signs in with the admin credentials and prints the user id they give. Exits 1 (errcode
/// <c>M_FORBIDDEN</c>) when that user is not an admin, so scripts can check credentials before using them.
/// </summary>
internal sealed class WhoAmICommand : AdminCommand
{
    private readonly Option<string> _adminUser = AdminOptions.AdminUser();
    private readonly Option<FileInfo> _adminPasswordFile = AdminOptions.AdminPasswordFile();

    public WhoAmICommand(CliEnvironment environment)
        : base("whoami", "Print the admin user id the credentials sign in as.", environment)
    {
        Options.Add(_adminUser);
        Options.Add(_adminPasswordFile);
    }

    protected override async Task<int> ExecuteAsync(ParseResult result, Func<FamilyAccountsOptions, FamilyAccounts> connect, CancellationToken cancellationToken)
    {
        var admin = AdminOptions.ReadAdmin(result.GetValue(_adminUser), result.GetValue(_adminPasswordFile), Environment.GetVariable);
        var accounts = connect(new FamilyAccountsOptions { Admin = admin });
        var identity = await accounts.WhoAmIAsync(cancellationToken).ConfigureAwait(false);
        Environment.Stdout.WriteLine(identity.UserId);
        if (!identity.IsAdmin)
        {
            Environment.Stderr.WriteLine($"error: {identity.UserId} signs in but is not an admin; the admin API will refuse it");
            Environment.Stderr.WriteLine("errcode: M_FORBIDDEN");
            return ExitCodes.Refused;
        }

        return ExitCodes.Success;
    }
}
