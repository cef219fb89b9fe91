using System.CommandLine;
using DendriteAspire.Admin.Accounts;

namespace DendriteAspire.Admin.Cli;

/// <summary>
/// <c>reset-password &lt;name&gt; [--password-file &lt;file&gt;]</c>: sets a new password and signs the user out everywhere.
/// Prints <c>password: &lt;password&gt;</c> when it was generated.
/// </summary>
internal sealed class ResetPasswordCommand : AdminCommand
{
    private readonly Argument<string> _name = AdminOptions.UserName("The user whose password to reset, for example alice.");
    private readonly Option<FileInfo> _passwordFile = AdminOptions.PasswordFile("the new password");
    private readonly Option<string> _adminUser = AdminOptions.AdminUser();
    private readonly Option<FileInfo> _adminPasswordFile = AdminOptions.AdminPasswordFile();

    public ResetPasswordCommand(CliEnvironment environment)
        : base("reset-password", "Set a new password and end every session of the user (admin API).", environment)
    {
        Arguments.Add(_name);
        Options.Add(_passwordFile);
        Options.Add(_adminUser);
        Options.Add(_adminPasswordFile);
    }

    protected override async Task<int> ExecuteAsync(ParseResult result, Func<FamilyAccountsOptions, FamilyAccounts> connect, CancellationToken cancellationToken)
    {
        var userName = UserName.Parse(result.GetRequiredValue(_name));
        var passwordFile = result.GetValue(_passwordFile);
        var password = passwordFile is null ? null : AdminOptions.ReadFile(passwordFile, "new password", "--password-file");
        var admin = AdminOptions.ReadAdmin(result.GetValue(_adminUser), result.GetValue(_adminPasswordFile), Environment.GetVariable);

        var accounts = connect(new FamilyAccountsOptions { Admin = admin });
        var reset = await accounts.ResetPasswordAsync(userName, password, cancellationToken).ConfigureAwait(false);
        if (reset.PasswordWasGenerated)
        {
            Environment.Stdout.WriteLine($"password: {reset.Password}");
        }
        else
        {
            Environment.Stdout.WriteLine($"password reset for {reset.UserId}");
        }

        return ExitCodes.Success;
    }
}
