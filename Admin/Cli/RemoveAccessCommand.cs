using System.CommandLine;
using DendriteAspire.Admin.Accounts;

namespace DendriteAspire.Admin.Cli;

/// <summary>
/// <c>remove-access &lt;name&gt;</c>: a random password nobody knows, every session ended, every room left. Prints
/// <c>removed @name:server</c>.
/// </summary>
internal sealed class RemoveAccessCommand : AdminCommand
{
    private readonly Argument<string> _name = AdminOptions.UserName("The user to lock out, for example alice.");
    private readonly Option<string> _adminUser = AdminOptions.AdminUser();
    private readonly Option<FileInfo> _adminPasswordFile = AdminOptions.AdminPasswordFile();

    public RemoveAccessCommand(CliEnvironment environment)
        : base("remove-access", "Stop a user signing in: replace the password, end every session, leave every room (admin API).", environment)
    {
        Arguments.Add(_name);
        Options.Add(_adminUser);
        Options.Add(_adminPasswordFile);
    }

    protected override async Task<int> ExecuteAsync(ParseResult result, Func<FamilyAccountsOptions, FamilyAccounts> connect, CancellationToken cancellationToken)
    {
        var userName = UserName.Parse(result.GetRequiredValue(_name));
        var admin = AdminOptions.ReadAdmin(result.GetValue(_adminUser), result.GetValue(_adminPasswordFile), Environment.GetVariable);

        var accounts = connect(new FamilyAccountsOptions { Admin = admin });
        var removed = await accounts.RemoveAccessAsync(userName, cancellationToken).ConfigureAwait(false);
        if (!removed.IsComplete)
        {
            return Fail(ExitCodes.Refused,
                $"{removed.UserId} can no longer sign in (password replaced, sessions ended), but leaving the rooms failed: {removed.RoomsProblem}; run remove-access again");
        }

        Environment.Stdout.WriteLine($"removed {removed.UserId}");
        return ExitCodes.Success;
    }
}
