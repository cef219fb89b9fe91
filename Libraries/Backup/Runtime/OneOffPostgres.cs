using System.Security.Cryptography;

namespace DendriteAspire.Backup.Runtime;

/// <summary>A Postgres container started just for a backup or restore, on the server's data volume.</summary>
internal static class OneOffPostgres
{
    /// <summary>
    /// Where the AppHost mounts the data volume (Aspire's <c>WithDataVolume</c> for Postgres 18: the parent of the image's
    /// own <c>PGDATA</c>, so the one-off container finds the data exactly where the server's container does).
    /// </summary>
    public const string DataTarget = "/var/lib/postgresql";

    /// <summary>
    /// Starts it and waits until it accepts connections. <paramref name="password"/> is the data's password (the tools
    /// inside use it on the socket); for a new, empty volume it becomes the password, and null picks a random one.
    /// </summary>
    public static async Task StartAsync(ContainerCli cli, string name, string volume, string image, string user, CancellationToken cancellationToken, string? password = null)
    {
        // The password goes by name only (-e POSTGRES_PASSWORD), from this process's environment: never an argument.
        var environment = new Dictionary<string, string> { ["POSTGRES_PASSWORD"] = password ?? RandomNumberGenerator.GetHexString(32) };
        var (started, output, errors) = await cli.TryRunAsync(TimeSpan.FromMinutes(2), environment, cancellationToken, "run", "-d", "--rm", "--name", name,
            "-e", "POSTGRES_PASSWORD", "-e", $"POSTGRES_USER={user}", "-v", $"{volume}:{DataTarget}", image).ConfigureAwait(false);
        if (started != 0)
        {
            throw new BackupFailedException($"starting a one-off Postgres on {volume} failed: {(errors + output).Trim()}");
        }

        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            // Over TCP, so not the socket-only server the official entrypoint runs while it initialises a new volume.
            var (code, _, _) = await cli.TryRunAsync(TimeSpan.FromSeconds(20), cancellationToken, "exec", name, "pg_isready", "-q", "-h", "127.0.0.1", "-U", user)
                .ConfigureAwait(false);
            if (code == 0)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                var logs = await cli.TryRunAsync(TimeSpan.FromSeconds(20), CancellationToken.None, "logs", "--tail", "5", name).ConfigureAwait(false);
                throw new BackupFailedException($"the one-off Postgres {name} did not accept connections within 2 minutes: {logs.Errors}{logs.Output}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>
/// Commands inside a Postgres container: with the container's own <c>POSTGRES_PASSWORD</c> as <c>PGPASSWORD</c>, so a
/// socket that asks for a password (not every image trusts local connections) works, and the password never leaves
/// the container.
/// </summary>
internal static class PostgresExec
{
    public static string[] Command(string container, bool interactive, params string[] command) =>
        ["exec", .. (interactive ? new[] { "-i" } : []), container, "sh", "-c", "PGPASSWORD=\"$POSTGRES_PASSWORD\" exec \"$@\"", "sh", .. command];
}
