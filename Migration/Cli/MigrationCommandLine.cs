using System.CommandLine;

namespace DendriteAspire.Migration.Cli;

/// <summary>The tool's command line: one command, <c>migrate-to-postgres</c>; <c>--help</c> comes from the same definitions.</summary>
public static class MigrationCommandLine
{
    public static RootCommand Create(Func<string, string?> environment) =>
        new("DendriteAspire migration: move a family Dendrite from SQLite to Postgres")
        {
            new MigrateToPostgresCommand(environment),
        };

    public static Task<int> RunAsync(
        IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        var configuration = new InvocationConfiguration { Output = stdout, Error = stderr };
        var parsed = Create(environment).Parse(args);
        return parsed.Errors.Count > 0
            ? ReportUsageAsync(parsed, stderr)
            : parsed.InvokeAsync(configuration, cancellationToken);
    }

    private static async Task<int> ReportUsageAsync(ParseResult parsed, TextWriter stderr)
    {
        foreach (var error in parsed.Errors)
        {
            await stderr.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
        }

        await stderr.WriteLineAsync("Run 'migrate-to-postgres --help' for the options.").ConfigureAwait(false);
        return ExitCodes.Usage;
    }
}
