using System.Diagnostics;
using DendriteAspire.Backup.Archive;

namespace DendriteAspire.Backup.Runtime;

/// <summary>
/// A consistent Postgres dump that needs Dendrite paused only for milliseconds: a <c>psql</c> session inside the
/// running Postgres container opens a repeatable-read transaction and exports its snapshot (while Dendrite is paused),
/// then <c>pg_dump -Fc --snapshot</c> dumps exactly that moment while Dendrite runs on. The session ends with the dump.
/// </summary>
internal sealed class PostgresSnapshot : IAsyncDisposable
{
    private const string EndMarker = "-- end of migrations --";
    private static readonly TimeSpan Answer = TimeSpan.FromSeconds(30);
    private readonly ContainerCli _cli;
    private readonly Process _session;
    private readonly string _container;
    private readonly BackupOptions _options;
    private readonly List<SchemaMigration> _migrations = [];
    private string? _snapshot;

    private PostgresSnapshot(ContainerCli cli, Process session, string container, BackupOptions options)
    {
        _cli = cli;
        _session = session;
        _container = container;
        _options = options;
    }

    /// <summary>
    /// Connects (before Dendrite is paused: starting psql in the container takes most of a second), the session started
    /// through <paramref name="start"/> (it answers inside the pause, so at normal priority); the dump goes through <paramref name="cli"/>.
    /// </summary>
    public static async Task<PostgresSnapshot> ConnectAsync(ContainerCli cli, ContainerCli start, string container, BackupOptions options, CancellationToken cancellationToken)
    {
        var session = start.StartInteractive(PostgresExec.Command(container, true, "psql", "-qAtX", "-v", "ON_ERROR_STOP=1", "-U", options.PostgresUser, "-d", options.PostgresDatabase));
        try
        {
            await session.StandardInput.WriteAsync("SELECT 'ready';\n").ConfigureAwait(false);
            await session.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(Answer);
            var ready = await ReadLineAsync(session, deadline.Token).ConfigureAwait(false);
            return ready == "ready"
                ? new PostgresSnapshot(cli, session, container, options)
                : throw new BackupFailedException($"psql in the Postgres container answered '{ready}' instead of 'ready'");
        }
        catch
        {
            ContainerCli.Kill(session);
            session.Dispose();
            throw;
        }
    }

    /// <summary>Opens the transaction and exports its snapshot (while Dendrite is paused: milliseconds), reading db_migrations in it.</summary>
    public async Task ExportAsync(CancellationToken cancellationToken)
    {
        await _session.StandardInput.WriteAsync(
            "BEGIN ISOLATION LEVEL REPEATABLE READ;\nSELECT pg_export_snapshot();\n" +
            "SELECT version || chr(9) || dendrite_version FROM db_migrations ORDER BY version;\n" +
            $"SELECT '{EndMarker}';\n").ConfigureAwait(false);
        await _session.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Answer);
        _snapshot = await ReadLineAsync(_session, deadline.Token).ConfigureAwait(false);
        while (await ReadLineAsync(_session, deadline.Token).ConfigureAwait(false) is var line && line != EndMarker)
        {
            var parts = line.Split('\t');
            _migrations.Add(new SchemaMigration(parts[0], parts.Length > 1 ? parts[1] : ""));
        }
    }

    private static async Task<string> ReadLineAsync(Process session, CancellationToken cancellationToken)
    {
        try
        {
            return await session.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line
                ? line.Trim()
                : throw new BackupFailedException($"psql in the Postgres container ended early: {await session.StandardError.ReadToEndAsync(CancellationToken.None).ConfigureAwait(false)}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested || session.HasExited)
        {
            throw new BackupFailedException("psql in the Postgres container did not answer");
        }
    }

    /// <summary>Dumps the snapshot (and the roles) into the archive.</summary>
    public async Task DumpAsync(BackupArchiveWriter writer, string scratch, SortedDictionary<string, IReadOnlyList<SchemaMigration>> migrations, CancellationToken cancellationToken)
    {
        if (_snapshot is null)
        {
            throw new InvalidOperationException("ExportAsync first");
        }

        var dump = Path.Combine(scratch, "dendrite.dump");
        await using (var file = File.Create(dump))
        {
            await _cli.ReadOutputAsync(TimeSpan.FromHours(6), (output, ct) => output.CopyToAsync(file, ct), cancellationToken,
                PostgresExec.Command(_container, false, "pg_dump", "-Fc", "--lock-wait-timeout=60000", $"--snapshot={_snapshot}", "-U", _options.PostgresUser, _options.PostgresDatabase))
                .ConfigureAwait(false);
        }

        var roles = await _cli.RunAsync(TimeSpan.FromMinutes(2), cancellationToken, PostgresExec.Command(_container, false, "pg_dumpall", "--roles-only", "-U", _options.PostgresUser))
            .ConfigureAwait(false);
        await writer.AddLocalFileAsync(ArchiveLayout.PostgresDump, dump, 0b110_000_000, cancellationToken).ConfigureAwait(false);
        await writer.AddBytesAsync(ArchiveLayout.PostgresRoles, System.Text.Encoding.UTF8.GetBytes(roles), 0b110_000_000, DateTimeOffset.UtcNow, cancellationToken)
            .ConfigureAwait(false);
        migrations["postgres"] = _migrations;
        _options.Progress(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"postgres: pg_dump {new FileInfo(dump).Length} bytes"));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_session.HasExited)
            {
                await _session.StandardInput.WriteAsync("COMMIT;\n\\q\n").ConfigureAwait(false);
                _session.StandardInput.Close();
                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await _session.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            ContainerCli.Kill(_session);
        }
        finally
        {
            _session.Dispose();
        }
    }
}
