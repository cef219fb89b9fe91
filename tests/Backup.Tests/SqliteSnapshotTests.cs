using DendriteAspire.Backup.Archive;
using Microsoft.Data.Sqlite;

namespace DendriteAspire.Backup.Tests;

/// <summary>
/// <see cref="SqliteSnapshot.AddAsync"/>: a database in rollback-journal mode (Dendrite's) goes into the archive
/// straight from its file under a read transaction, one committed state while a writer keeps going; a hot journal
/// copied beside a paused database is rolled back; a live database in WAL mode goes through the online backup API with
/// its uncheckpointed writes. And the stream check a new archive's databases get.
/// </summary>
public sealed class SqliteSnapshotTests : IDisposable
{
    private static readonly string[] LiveWalFiles = ["invites.db", "invites.db-shm", "invites.db-wal", "wal.tar.zst"];

    private readonly Archives _archives = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _archives.Dispose();
    }

    [Fact]
    public async Task A_database_written_all_the_while_goes_in_as_one_committed_state_and_its_writer_is_never_refused()
    {
        var path = Path.Combine(_archives.Directory, "roomserver.db");
        using (var setup = Open(path))
        {
            Execute(setup, """
                CREATE TABLE db_migrations (version TEXT PRIMARY KEY NOT NULL, time TEXT NOT NULL, dendrite_version TEXT NOT NULL);
                INSERT INTO db_migrations VALUES ('roomserver: bench', '2026-01-01', '0.15.2');
                CREATE TABLE counter (n INTEGER NOT NULL);
                INSERT INTO counter VALUES (0);
                CREATE TABLE events (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
                """);
            // 8 MiB of rows, so the file is read in many pieces while the writer rewrites pages all over it.
            Execute(setup, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 16000) INSERT INTO events (body) SELECT printf('%.500c', 'x') FROM n");
            Execute(setup, "UPDATE counter SET n = 16000");
            Assert.Equal("delete", Scalar(setup, "PRAGMA journal_mode"));
        }

        using var stop = new CancellationTokenSource();
        var commits = 0;
        var writer = Task.Run(() =>
        {
            // Dendrite's own way: one connection, a transaction per write, waiting out a reader's lock (go-sqlite3 waits 5 s).
            using var connection = Open(path, busySeconds: 5);
            Execute(connection, "PRAGMA synchronous = OFF"); // the locks are the point here, not the disk's flushes
            var random = new Random(7);
            while (!stop.IsCancellationRequested)
            {
                using var transaction = connection.BeginTransaction();
                Execute(connection, $"UPDATE events SET body = printf('%.500c', 'y') WHERE id = {random.Next(1, 16000)}");
                Execute(connection, "INSERT INTO events (body) VALUES ('new')");
                Execute(connection, "UPDATE counter SET n = n + 1");
                transaction.Commit();
                Interlocked.Increment(ref commits);
            }
        }, TestContext.Current.CancellationToken);

        while (Volatile.Read(ref commits) < 20)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        // Five archives one after another while the writer goes on: each must hold one committed state.
        var archives = new List<(string Path, IReadOnlyList<SchemaMigration> Migrations, int CommitsBefore)>();
        for (var round = 0; round < 5; round++)
        {
            var archive = Path.Combine(_archives.Directory, $"live-{round}.tar.zst");
            var before = Volatile.Read(ref commits);
            await using (var archiveWriter = BackupArchiveWriter.Create(archive, null))
            {
                var migrations = await SqliteSnapshot.AddAsync(archiveWriter, "volumes/sqlite/roomserver.db", path, 0b110_100_100, _archives.Directory, ownCopy: false,
                    TestContext.Current.CancellationToken);
                await archiveWriter.CompleteAsync(Archives.Draft() with { Migrations = new(StringComparer.Ordinal) { ["roomserver"] = migrations } },
                    TestContext.Current.CancellationToken);
                archives.Add((archive, migrations, before));
            }

            var after = Volatile.Read(ref commits);
            while (Volatile.Read(ref commits) < after + 5)
            {
                await Task.Delay(5, TestContext.Current.CancellationToken);
            }
        }

        await stop.CancelAsync();
        await writer; // a write refused with "database is locked" would have thrown here

        foreach (var (archive, migrations, commitsBefore) in archives)
        {
            Assert.Equal(new[] { new SchemaMigration("roomserver: bench", "0.15.2") }, migrations);
            using var restored = Open(await ExtractAsync(archive, "volumes/sqlite/roomserver.db"));
            Assert.Equal("ok", Scalar(restored, "PRAGMA integrity_check"));
            var counted = (long)Scalar(restored, "SELECT n FROM counter")!;
            Assert.True(counted >= 16000 + commitsBefore, $"{Path.GetFileName(archive)} holds {counted - 16000} commits' state; {commitsBefore} were committed before it began");
            Assert.Equal(counted, Scalar(restored, "SELECT count(*) FROM events"));
        }
    }

    [Fact]
    public async Task A_copy_taken_mid_write_with_its_hot_journal_is_rolled_back_to_the_last_commit()
    {
        var live = Path.Combine(_archives.Directory, "live");
        var paused = Path.Combine(_archives.Directory, "paused");
        Directory.CreateDirectory(live);
        Directory.CreateDirectory(paused);
        var path = Path.Combine(live, "syncapi.db");
        using var connection = Open(path);
        Execute(connection, "CREATE TABLE events (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
        Execute(connection, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) INSERT INTO events (body) SELECT printf('%.500c', 'x') FROM n");

        // A write in flight when the runtime froze Dendrite: pages already written over in the file (a tiny page cache
        // spills them), their old contents in the journal.
        Execute(connection, "PRAGMA cache_size = 10");
        using (var transaction = connection.BeginTransaction())
        {
            Execute(connection, "UPDATE events SET body = printf('%.500c', 'z')");
            Assert.True(new FileInfo(path + "-journal").Length > 0);
            File.Copy(path, Path.Combine(paused, "syncapi.db"));
            File.Copy(path + "-journal", Path.Combine(paused, "syncapi.db-journal"));
            transaction.Rollback();
        }

        var archive = Path.Combine(_archives.Directory, "paused.tar.zst");
        await using (var writer = BackupArchiveWriter.Create(archive, null))
        {
            await SqliteSnapshot.AddAsync(writer, "volumes/sqlite/syncapi.db", Path.Combine(paused, "syncapi.db"), 0b110_100_100, _archives.Directory, ownCopy: true,
                TestContext.Current.CancellationToken);
            await writer.CompleteAsync(Archives.Draft(), TestContext.Current.CancellationToken);
        }

        using var restored = Open(await ExtractAsync(archive, "volumes/sqlite/syncapi.db"));
        Assert.Equal("ok", Scalar(restored, "PRAGMA integrity_check"));
        Assert.Equal(2000L, Scalar(restored, "SELECT count(*) FROM events WHERE body LIKE 'x%'"));
    }

    [Fact]
    public async Task A_live_database_in_wal_mode_goes_in_through_the_online_backup_api_with_its_uncheckpointed_writes()
    {
        var path = Path.Combine(_archives.Directory, "invites.db");
        using var connection = Open(path);
        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode=WAL"));
        Execute(connection, "PRAGMA wal_autocheckpoint = 0");
        Execute(connection, "CREATE TABLE invites (id INTEGER PRIMARY KEY)");
        Execute(connection, "INSERT INTO invites VALUES (1), (2), (3)");
        Assert.True(new FileInfo(path + "-wal").Length > 0);

        var archive = Path.Combine(_archives.Directory, "wal.tar.zst");
        await using (var writer = BackupArchiveWriter.Create(archive, null))
        {
            Assert.Empty(await SqliteSnapshot.AddAsync(writer, "onboarding/invites.db", path, 0b110_000_000, _archives.Directory, ownCopy: false,
                TestContext.Current.CancellationToken));
            await writer.CompleteAsync(Archives.Draft(), TestContext.Current.CancellationToken);
        }

        // The online backup API's scratch copy is gone.
        Assert.Equal(LiveWalFiles,
            Directory.GetFiles(_archives.Directory).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray());
        var copy = await ExtractAsync(archive, "onboarding/invites.db");
        Assert.Equal(1, File.ReadAllBytes(copy)[18]); // a rollback-journal file: nothing needed beside it
        using var restored = Open(copy);
        Assert.Equal(3L, Scalar(restored, "SELECT count(*) FROM invites"));
    }

    [Fact]
    public async Task The_stream_check_passes_a_whole_database_and_names_what_is_wrong_with_a_cut_or_foreign_one()
    {
        var database = File.ReadAllBytes(_archives.Database("roomserver", ("roomserver: one", "0.15.2")));
        Assert.Null(await ProblemAsync(database));
        Assert.True(database.Length > 8192);
        Assert.Equal($"its header counts {database.Length / 4096} pages of 4096 bytes, the archive holds 8192 bytes", await ProblemAsync(database[..8192]));
        Assert.Equal("8000 bytes are not whole pages of 4096 bytes", await ProblemAsync(WithoutPageCount(database)[..8000]));
        Assert.Equal("shorter than a SQLite header", await ProblemAsync(database[..60]));
        Assert.Equal("no SQLite header", await ProblemAsync([.. "PGDMP"u8, .. database[5..]]));
    }

    private static async Task<string?> ProblemAsync(byte[] content) =>
        await ArchiveVerifier.SqliteHeaderProblemAsync(new ArchiveEntry("volumes/sqlite/roomserver.db", content.Length, 0b110_100_100, DateTimeOffset.UnixEpoch),
            new MemoryStream(content), TestContext.Current.CancellationToken);

    private async Task<string> ExtractAsync(string archive, string entryPath)
    {
        var target = Path.Combine(_archives.Directory, "extracted-" + Guid.NewGuid().ToString("N")[..8] + ".db");
        await BackupArchiveReader.ReadAsync(archive, null, async (entry, data, ct) =>
        {
            if (entry.Path == entryPath)
            {
                await using var file = File.Create(target);
                await data.CopyToAsync(file, ct);
            }
        }, TestContext.Current.CancellationToken);
        Assert.True(File.Exists(target), $"{entryPath} is in the archive");
        return target;
    }

    /// <summary>A header as an older SQLite leaves it: its page count not "valid for" the last change, so the size counts.</summary>
    private static byte[] WithoutPageCount(byte[] database)
    {
        var copy = database.ToArray();
        copy[95] ^= 0xFF;
        return copy;
    }

    private static SqliteConnection Open(string path, int busySeconds = 30)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = busySeconds }.ToString());
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
