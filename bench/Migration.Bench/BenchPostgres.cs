using System.Diagnostics;
using Npgsql;

namespace DendriteAspire.Migration.Bench;

/// <summary>
/// The PostgreSQL to migrate into: DENDRITE_MIGRATION_BENCH_POSTGRES, or a throw-away postgres:18.3 container on a
/// loopback port (ASPIRE_CONTAINER_RUNTIME, default podman), removed afterwards.
/// </summary>
public sealed class BenchPostgres : IAsyncDisposable
{
    private const string Password = "migration-bench";
    private readonly string? runtime;
    private readonly string? container;

    private BenchPostgres(string adminConnectionString, string? runtime, string? container)
    {
        AdminConnectionString = adminConnectionString;
        this.runtime = runtime;
        this.container = container;
    }

    public string AdminConnectionString { get; }

    public static async Task<BenchPostgres> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("DENDRITE_MIGRATION_BENCH_POSTGRES") is { Length: > 0 } configured)
        {
            return new BenchPostgres(configured, null, null);
        }

        var runtime = Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME") is { Length: > 0 } r ? r : "podman";
        var name = $"dendriteaspire-migration-bench-{Guid.NewGuid():N}"[..40];
        Run(runtime, "run", "-d", "--rm", "--name", name, "-e", $"POSTGRES_PASSWORD={Password}", "-p", "127.0.0.1::5432", "docker.io/library/postgres:18.3");
        var port = Run(runtime, "port", name, "5432/tcp").Split('\n')[0].Trim().Split(':')[^1];
        var connectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Password={Password};Database=postgres;Pooling=false";
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync();
                break;
            }
            catch (Exception e) when (e is NpgsqlException or IOException && attempt < 120)
            {
                await Task.Delay(500);
            }
        }

        return new BenchPostgres(connectionString, runtime, name);
    }

    /// <summary>A new database holding Dendrite v0.15.2's schema as its first start leaves it.</summary>
    public async Task<string> CreateDendriteDatabaseAsync()
    {
        var name = $"bench_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(AdminConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0", admin);
            await create.ExecuteNonQueryAsync();
        }

        var target = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, CommandTimeout = 0 }.ConnectionString;
        await using var connection = new NpgsqlConnection(target);
        await connection.OpenAsync();
        await using var schema = new NpgsqlCommand(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "DendriteSchema", "postgres.sql")), connection);
        await schema.ExecuteNonQueryAsync();
        return target;
    }

    public ValueTask DisposeAsync()
    {
        if (runtime is not null && container is not null)
        {
            Run(runtime, "rm", "-f", container);
        }

        return ValueTask.CompletedTask;
    }

    private static string Run(string executable, params string[] arguments)
    {
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{executable} {string.Join(' ', arguments)}: {error.Trim()}");
    }
}
