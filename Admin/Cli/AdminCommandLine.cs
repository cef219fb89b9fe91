using System.CommandLine;

namespace DendriteAspire.Admin.Cli;

/// <summary>
/// The command line: <c>add-user</c>, <c>reset-password</c>, <c>remove-access</c>, <c>whoami</c> and
/// <c>reindex-search</c> and <c>import-slack</c>, each against <c>--homeserver &lt;url&gt;</c>. Exit codes are <see cref="ExitCodes"/>; a
/// usage error exits 2 after printing what is wrong.
/// </summary>
public static class AdminCommandLine
{
    /// <summary>Runs one command with the process's environment variables.</summary>
    public static Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default) =>
        RunAsync(args, new CliEnvironment(stdout, stderr, Environment.GetEnvironmentVariable), cancellationToken);

    internal static async Task<int> RunAsync(IReadOnlyList<string> args, CliEnvironment environment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var root = Build(environment);
        // No response files: "@alice:server" is a (wrong) user name to explain, not a file to read.
        var result = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        var configuration = new InvocationConfiguration { Output = environment.Stdout, Error = environment.Stderr };
        if (result.Errors.Count > 0 && !IsHelpRequest(args))
        {
            foreach (var error in result.Errors)
            {
                environment.Stderr.WriteLine($"error: {error.Message}");
            }

            var command = result.CommandResult.Command;
            environment.Stderr.WriteLine(command == root ? "Run '--help' for the commands." : $"Run '{command.Name} --help' for its options.");
            return ExitCodes.BadInput;
        }

        return await result.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }

    internal static RootCommand Build(CliEnvironment environment)
    {
        var root = new RootCommand("Family accounts and backups of a Dendrite homeserver, without a shell inside its container.")
        {
            new AddUserCommand(environment),
            new ResetPasswordCommand(environment),
            new RemoveAccessCommand(environment),
            new WhoAmICommand(environment),
            new ReindexSearchCommand(environment),
            new ImportSlackCommand(environment),
            new Backups.BackupCommand(environment),
            new Backups.RestoreCommand(environment),
            new Backups.VerifyCommand(environment),
            new Backups.MountedBackupCommand(environment),
            new Backups.MountedRestoreCommand(environment),
        };
        return root;
    }

    private static bool IsHelpRequest(IReadOnlyList<string> args) => args.Any(a => a is "--help" or "-h" or "-?");
}
