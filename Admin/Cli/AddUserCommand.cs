using System.CommandLine;
using DendriteAspire.Admin.Accounts;

namespace DendriteAspire.Admin.Cli;

/// <summary>
/// <c>add-user &lt;name&gt; [--display-name &lt;text&gt;] [--admin] [--password-file &lt;file&gt;]</c>: creates an account
/// through shared-secret registration. Prints <c>created @name:server</c>, and <c>password: &lt;password&gt;</c> on a
/// line of its own when the password was generated.
/// </summary>
internal sealed class AddUserCommand : AdminCommand
{
    private readonly Argument<string> _name = AdminOptions.UserName("The new user's name (a-z 0-9 . _ = - /), for example alice.");
    private readonly Option<string> _displayName = new("--display-name") { Description = "The name others see, for example \"Alice Smith\"." };
    private readonly Option<bool> _admin = new("--admin") { Description = "Make the account an admin." };
    private readonly Option<FileInfo> _passwordFile = AdminOptions.PasswordFile("the new user's password");
    private readonly Option<FileInfo> _sharedSecretFile = AdminOptions.SharedSecretFile();

    public AddUserCommand(CliEnvironment environment)
        : base("add-user", "Create an account (shared-secret registration).", environment)
    {
        Arguments.Add(_name);
        Options.Add(_displayName);
        Options.Add(_admin);
        Options.Add(_passwordFile);
        Options.Add(_sharedSecretFile);
    }

    protected override async Task<int> ExecuteAsync(ParseResult result, Func<FamilyAccountsOptions, FamilyAccounts> connect, CancellationToken cancellationToken)
    {
        var userName = UserName.Parse(result.GetRequiredValue(_name));
        var passwordFile = result.GetValue(_passwordFile);
        var password = passwordFile is null ? null : AdminOptions.ReadFile(passwordFile, "new user's password", "--password-file");
        var sharedSecret = AdminOptions.ReadSecret(result.GetValue(_sharedSecretFile), AdminOptions.SharedSecretVariable,
            Environment.GetVariable, "registration shared secret", "--shared-secret-file");

        var accounts = connect(new FamilyAccountsOptions { SharedSecret = sharedSecret });
        var created = await accounts.CreateAccountAsync(
            new NewAccount(userName, result.GetValue(_displayName), result.GetValue(_admin), password), cancellationToken).ConfigureAwait(false);

        Environment.Stdout.WriteLine($"created {created.UserId}");
        if (created.PasswordWasGenerated)
        {
            Environment.Stdout.WriteLine($"password: {created.Password}");
        }

        if (created.DisplayNameProblem is { } problem)
        {
            Environment.Stderr.WriteLine($"warning: the account exists and signs in, but its display name was not set: {problem}");
        }

        return ExitCodes.Success;
    }
}
