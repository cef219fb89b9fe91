using System.CommandLine;
using Npgsql;

namespace DendriteAspire.Migration.Cli;

/// <summary>
/// <c>migrate-to-postgres --from &lt;dir&gt; --to &lt;postgres uri&gt; [--replace] [--dry-run]</c>: copies Dendrite's
/// SQLite databases into the Postgres database Dendrite initialised. Exit codes: <see cref="ExitCodes"/>.
/// </summary>
#pragma warning disable CA1010 // System.CommandLine's Command is IEnumerable for collection initialisers; not a collection type of ours.
public sealed class MigrateToPostgresCommand : Command
#pragma warning restore CA1010
{
    private readonly Option<DirectoryInfo> from = new("--from")
    {
        Description = "The directory with Dendrite's SQLite databases (federationapi.db, roomserver.db, ...); opened read-only",
        Required = true,
    };

    private readonly Option<string> to = new("--to")
    {
        Description = "The Postgres database Dendrite has initialised: postgres://user@host:port/database?sslmode=disable. " +
                      "The password comes from the PGPASSWORD environment variable, never from an argument",
        Required = true,
    };

    private readonly Option<bool> replace = new("--replace")
    {
        Description = "Overwrite a target that already holds accounts or events",
    };

    private readonly Option<bool> dryRun = new("--dry-run")
    {
        Description = "Check both sides and print the plan (tables, rows, conversions); write nothing",
    };

    public MigrateToPostgresCommand(Func<string, string?> environment)
        : base("migrate-to-postgres", "Copy a stopped Dendrite's SQLite databases into the Postgres schema Dendrite created, in one transaction")
    {
        ArgumentNullException.ThrowIfNull(environment);
        Options.Add(from);
        Options.Add(to);
        Options.Add(replace);
        Options.Add(dryRun);
        SetAction(async (result, cancellationToken) =>
        {
            var stdout = result.InvocationConfiguration.Output;
            var stderr = result.InvocationConfiguration.Error;
            string connectionString;
            try
            {
                connectionString = TargetConnection.Build(result.GetValue(to)!, environment(TargetConnection.PasswordVariable));
            }
            catch (ArgumentException e)
            {
                await stderr.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var options = new MigrationOptions(result.GetValue(from)!.FullName, connectionString, result.GetValue(replace), result.GetValue(dryRun));
            try
            {
                await PostgresMigration.RunAsync(options, stdout, cancellationToken).ConfigureAwait(false);
                return ExitCodes.Success;
            }
            catch (MigrationRefusedException e)
            {
                await stderr.WriteLineAsync($"refused: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Refused;
            }
            catch (Exception e) when (e is NpgsqlException or Microsoft.Data.Sqlite.SqliteException or IOException)
            {
                await stderr.WriteLineAsync($"failed: {e.Message}; nothing was committed").ConfigureAwait(false);
                return ExitCodes.Failed;
            }
        });
    }
}
