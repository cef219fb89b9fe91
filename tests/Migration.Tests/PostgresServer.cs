using System.ComponentModel;
using System.Diagnostics;
using Npgsql;

namespace DendriteAspire.Migration.Tests;

/// <summary>
/// A real PostgreSQL for the tests that need one: <c>DENDRITE_MIGRATION_TEST_POSTGRES</c> (an Npgsql connection string
/// of a user allowed to create databases), or else a throw-away <c>docker.io/library/postgres:18.3</c> container on a
/// loopback port, started with <c>ASPIRE_CONTAINER_RUNTIME</c> (podman or docker). Without either, the tests are
/// skipped with the reason; with <c>DENDRITE_LIVE=required</c> they fail instead. Each test gets its own database.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string ConnectionVariable = "DENDRITE_MIGRATION_TEST_POSTGRES";
    private const string Image = "docker.io/library/postgres:18.3";
    private const string Password = "migration-tests";

    private string? runtime;
    private string? container;
    private string? adminConnectionString;
    private string? problem;

    public async ValueTask InitializeAsync()
    {
        var configured = Environment.GetEnvironmentVariable(ConnectionVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            adminConnectionString = configured;
            return;
        }

        runtime = Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME") is { Length: > 0 } r ? r : "podman";
        var name = $"dendriteaspire-migration-tests-{Guid.NewGuid():N}"[..44];
        var run = await RunAsync(runtime, TimeSpan.FromMinutes(2),
            "run", "-d", "--rm", "--name", name, "-e", $"POSTGRES_PASSWORD={Password}", "-p", "127.0.0.1::5432", Image);
        if (run.ExitCode != 0)
        {
            problem = $"no PostgreSQL: set {ConnectionVariable}, or make `{runtime} run {Image}` work ({run.Output.Trim()})";
            return;
        }

        container = name;
        var port = await RunAsync(runtime, TimeSpan.FromSeconds(30), "port", name, "5432/tcp");
        var hostPort = port.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[0].Trim().Split(':')[^1];
        adminConnectionString = $"Host=127.0.0.1;Port={hostPort};Username=postgres;Password={Password};Database=postgres;Pooling=false";
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(adminConnectionString);
                await connection.OpenAsync();
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(500);
            }
        }
    }

    /// <summary>A new, empty database (UTF-8) and its connection string; skips or fails the test without a server.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        if (adminConnectionString is null)
        {
            var reason = $"Migration test not run: {problem}";
            if (string.Equals(Environment.GetEnvironmentVariable("DENDRITE_LIVE"), "required", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail($"{reason} (DENDRITE_LIVE=required)");
            }

            Assert.Skip($"{reason} (set DENDRITE_LIVE=required to make this a failure)");
        }

        var name = $"t_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(adminConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        if (runtime is not null && container is not null)
        {
            await RunAsync(runtime, TimeSpan.FromMinutes(1), "rm", "-f", container);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string executable, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cancel = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return (-1, $"{executable} did not finish within {timeout.TotalSeconds:0} s");
            }

            return (process.ExitCode, await stdout + await stderr);
        }
        catch (Win32Exception e)
        {
            return (-1, $"{executable} is not on PATH ({e.Message})");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresServerDefinition : ICollectionFixture<PostgresServer>
{
    public const string Name = "A real PostgreSQL";
}
