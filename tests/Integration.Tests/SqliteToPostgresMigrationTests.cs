using System.Globalization;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using DendriteAspire.Migration;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace DendriteAspire.Integration.Tests;

/// <summary>
/// Issue 12, against the real Dendrite and Postgres: a family server on SQLite (two users, a room with 50 messages, a
/// 1 MiB upload, a display name) is moved to Postgres with the migration tool, on the same volumes, and everything is
/// still there; new messages get larger stream positions (the sequences were moved past the copied ids). Then again
/// with <c>--replace</c>, and a SQLite set from another schema version is refused without writing anything.
/// </summary>
[Trait("Category", "Live")]
public class SqliteToPostgresMigrationTests
{
    private const int MessageCount = 50;
    private static readonly TimeSpan RestartTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task FamilyServer_MovesFromSqliteToPostgres_WithEveryAccountMessageAndFile()
    {
        var runtime = await LiveEnvironment.RequireAsync(withPostgres: true);
        var ct = TestContext.Current.CancellationToken;
        var prefix = VolumePrefix.New("migrate");
        var work = Directory.CreateTempSubdirectory("dendrite-migration-test-");
        string[] postgresSettings = ["--Dendrite:Database:Provider=Postgres", $"--Parameters:{DendriteApp.PostgresPasswordParameter}=pg-{Guid.NewGuid():N}"];
        try
        {
            // 1) The family on SQLite.
            Family family;
            await using (var sqlite = await DendriteApp.StartAsync(runtime, prefix, [], ct))
            {
                family = await Family.CreateAsync(sqlite, ct);
            }

            var keyBefore = await runtime.ReadSigningKeyAsync(prefix, LiveEnvironment.DendriteImage, ct);
            var sqliteFiles = Path.Combine(work.FullName, "sqlite");
            await CopySqliteVolumeAsync(runtime, prefix, sqliteFiles, ct);
            var checksumsBefore = Checksums(sqliteFiles);

            // 2) Start once on Postgres: Dendrite creates its empty schema. 3) Stop Dendrite (Postgres keeps running).
            await using var postgres = await DendriteApp.StartAsync(runtime, prefix, postgresSettings, ct);
            var target = await postgres.App.GetConnectionStringAsync("dendrite-db", ct)
                ?? throw new InvalidOperationException("dendrite-db has no connection string");
            await StopDendriteAsync(postgres, ct);

            // The fresh schema holds the two accounts the AppHost made there, the bootstrap admin and the Family room's
            // owner (family-rooms): a target with accounts is refused without --replace, and nothing is written.
            Assert.Equal(2, await CountAsync(target, "userapi_accounts", ct));
            var fresh = await SnapshotAsync(target, ct);
            var notEmpty = await Assert.ThrowsAsync<MigrationRefusedException>(
                () => PostgresMigration.RunAsync(new MigrationOptions(sqliteFiles, target), TextWriter.Null, ct));
            Assert.Contains("--replace", notEmpty.Message, StringComparison.Ordinal);
            Assert.Equal(fresh, await SnapshotAsync(target, ct));

            // 4) Migrate (replacing that fresh schema, as migrate-local.sh does for a volume it created).
            // 5) Start on Postgres: everything is there, and new messages get new, larger positions.
            var output = new StringWriter();
            var result = await PostgresMigration.RunAsync(new MigrationOptions(sqliteFiles, target, Replace: true), output, ct);
            Assert.True(result.CopiedRows["roomserver_events"] > MessageCount, output.ToString());
            Assert.Equal(checksumsBefore, Checksums(sqliteFiles));
            await StartDendriteAsync(postgres, ct);
            await family.AssertEverythingSurvivedAsync(postgres.Matrix, ct);
            Assert.Equal(keyBefore, await runtime.ReadSigningKeyAsync(prefix, LiveEnvironment.DendriteImage, ct));

            // The target now holds the family: without --replace a second run is refused and writes nothing.
            await StopDendriteAsync(postgres, ct);
            var occupied = await SnapshotAsync(target, ct);
            var refusal = await Assert.ThrowsAsync<MigrationRefusedException>(
                () => PostgresMigration.RunAsync(new MigrationOptions(sqliteFiles, target), TextWriter.Null, ct));
            Assert.Contains("--replace", refusal.Message, StringComparison.Ordinal);
            Assert.Equal(occupied, await SnapshotAsync(target, ct));

            // Mismatched schema versions are refused, even with --replace, and nothing is written.
            var otherRelease = Path.Combine(work.FullName, "other-release");
            CopyDirectory(sqliteFiles, otherRelease);
            AddMigrationRecord(Path.Combine(otherRelease, "roomserver.db"), "roomserver: a migration from another release");
            var mismatch = await Assert.ThrowsAsync<MigrationRefusedException>(
                () => PostgresMigration.RunAsync(new MigrationOptions(otherRelease, target, Replace: true), TextWriter.Null, ct));
            Assert.Contains("only in SQLite: \"roomserver: a migration from another release\"", mismatch.Problems);
            Assert.Equal(occupied, await SnapshotAsync(target, ct));

            // Again with --replace: the same result.
            var replaced = await PostgresMigration.RunAsync(new MigrationOptions(sqliteFiles, target, Replace: true), TextWriter.Null, ct);
            Assert.Equal(result.CopiedRows, replaced.CopiedRows);
            await StartDendriteAsync(postgres, ct);
            await family.AssertEverythingSurvivedAsync(postgres.Matrix, ct);
            Assert.Equal(keyBefore, await runtime.ReadSigningKeyAsync(prefix, LiveEnvironment.DendriteImage, ct));
            Assert.Equal(checksumsBefore, Checksums(sqliteFiles));
        }
        finally
        {
            work.Delete(recursive: true);
            await VolumePrefix.RemoveVolumesAsync(runtime, prefix, withPostgres: true);
        }
    }

    /// <summary>Copies the SQLite files out of <c>&lt;prefix&gt;-sqlite</c> with a one-off container (the README's step).</summary>
    private static async Task CopySqliteVolumeAsync(ContainerRuntime runtime, string prefix, string destination, CancellationToken ct)
    {
        Directory.CreateDirectory(destination);
        var copy = await runtime.RunAsync(TimeSpan.FromMinutes(2), ct,
            "run", "--rm", "--entrypoint", "/bin/sh", "-v", $"{prefix}-sqlite:/src:ro", "-v", $"{destination}:/dst",
            LiveEnvironment.DendriteImage, "-c", "cp -a /src/. /dst/");
        Assert.True(copy.Succeeded, $"copying the SQLite files out of {prefix}-sqlite: {copy.FirstErrorLine}");
        Assert.True(File.Exists(Path.Combine(destination, "roomserver.db")), "roomserver.db was not in the sqlite volume");
    }

    private static async Task StopDendriteAsync(DendriteApp app, CancellationToken ct)
    {
        var stop = await app.App.ResourceCommands.ExecuteCommandAsync("dendrite", KnownResourceCommands.StopCommand, ct);
        Assert.True(stop.Success, $"stopping dendrite: {stop.Message}");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(RestartTimeout);
        await app.App.ResourceNotifications.WaitForResourceAsync(
            "dendrite", e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), deadline.Token);
    }

    private static async Task StartDendriteAsync(DendriteApp app, CancellationToken ct)
    {
        var start = await app.App.ResourceCommands.ExecuteCommandAsync("dendrite", KnownResourceCommands.StartCommand, ct);
        Assert.True(start.Success, $"starting dendrite: {start.Message}");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(RestartTimeout);
        await app.App.ResourceNotifications.WaitForResourceHealthyAsync("dendrite", deadline.Token);
        while (true)
        {
            try
            {
                var versions = await app.Matrix.GetAsync("/_matrix/client/versions", null, deadline.Token);
                if (versions.IsSuccess)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // The proxy answers before Dendrite listens.
            }

            await Task.Delay(TimeSpan.FromSeconds(1), deadline.Token);
        }
    }

    private static Dictionary<string, string> Checksums(string directory) =>
        Directory.GetFiles(directory).Order(StringComparer.Ordinal).ToDictionary(
            f => Path.GetFileName(f), f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))), StringComparer.Ordinal);

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }

    private static void AddMigrationRecord(string database, string version)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString());
        connection.Open();
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO db_migrations (version, time, dendrite_version) VALUES ($v, '2030-01-01T00:00:00Z', '9.9.9')";
        insert.Parameters.AddWithValue("$v", version);
        insert.ExecuteNonQuery();
    }

    private static async Task<long> CountAsync(string connectionString, string table, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var count = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
        return (long)(await count.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Row counts of every table and the state of every sequence: what "nothing was written" compares.</summary>
    private static async Task<SortedDictionary<string, string>> SnapshotAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        var names = new List<(string Name, bool IsSequence)>();
        await using (var list = new NpgsqlCommand(
            "SELECT relname, relkind = 'S' FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'S')", connection))
        await using (var reader = await list.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                names.Add((reader.GetString(0), reader.GetBoolean(1)));
            }
        }

        var snapshot = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, isSequence) in names)
        {
            var sql = isSequence ? $"SELECT last_value::text || '/' || is_called::text FROM \"{name}\"" : $"SELECT count(*)::text FROM \"{name}\"";
            await using var query = new NpgsqlCommand(sql, connection);
            snapshot[name] = (string)(await query.ExecuteScalarAsync(ct))!;
        }

        return snapshot;
    }

    /// <summary>What the family did on SQLite, and the checks that it all survived the move.</summary>
    private sealed class Family(RegisteredUser admin, RegisteredUser member, string roomId, List<string> messages, LiveFamily.Keepsakes keepsakes, long lastPosition)
        : LiveFamily(admin, member, roomId, keepsakes)
    {
        public List<string> Messages { get; } = messages;

        /// <summary>The PDU stream position of the member's last <c>/sync</c> on SQLite.</summary>
        public long LastPosition { get; } = lastPosition;

        public static async Task<Family> CreateAsync(DendriteApp app, CancellationToken ct)
        {
            var (admin, member, roomId) = await MeetAsync(app, ct);
            var messages = new List<string>();
            string? since = null;
            for (var i = 1; i <= MessageCount; i++)
            {
                if (i == MessageCount)
                {
                    since = (await app.Matrix.SyncAsync(member.Session, null, 0, ct)).GetProperty("next_batch").GetString()!;
                }

                var sender = i % 2 == 1 ? admin.Session : member.Session;
                messages.Add(await app.Matrix.SendTextAsync(sender, roomId, $"message {i} of {MessageCount}", ct));
            }

            // The member's /sync position once the last message has arrived: every position copied is at most this.
            var (_, nextBatch) = await app.Matrix.WaitForEventAsync(member.Session, since!, roomId, messages[^1], TimeSpan.FromSeconds(60), ct);

            return new Family(admin, member, roomId, messages, await ShareAsync(app, member, ct), PduPosition(nextBatch));
        }

        public async Task AssertEverythingSurvivedAsync(MatrixClient matrix, CancellationToken ct)
        {
            // Both users log in with their passwords.
            var admin = await matrix.LoginOrThrowAsync(Admin.Localpart, Admin.Password, ct);
            var member = await matrix.LoginOrThrowAsync(Member.Localpart, Member.Password, ct);
            Assert.Equal(Admin.Session.UserId, await matrix.WhoAmIAsync(admin, ct));
            Assert.Equal(Member.Session.UserId, await matrix.WhoAmIAsync(member, ct));

            // /sync shows the same room with the same 50 event ids, in order.
            var filter = Uri.EscapeDataString("""{"room":{"timeline":{"limit":200}}}""");
            var sync = (await matrix.GetAsync($"/_matrix/client/v3/sync?timeout=0&filter={filter}", member.AccessToken, ct)).EnsureSuccess("sync").Body;
            var timeline = sync.GetProperty("rooms").GetProperty("join").GetProperty(RoomId).GetProperty("timeline").GetProperty("events");
            var texts = timeline.EnumerateArray()
                .Where(e => e.GetProperty("type").GetString() == "m.room.message")
                .Select(e => (Id: e.GetProperty("event_id").GetString()!, Body: e.GetProperty("content").GetProperty("body").GetString()!))
                .Where(e => e.Body.StartsWith("message ", StringComparison.Ordinal))
                .ToList();
            Assert.Equal(Messages, texts.Select(e => e.Id).ToList());
            Assert.Equal($"message 1 of {MessageCount}", texts[0].Body);

            await AssertKeepsakesAsync(matrix, member, ct);

            // New messages work and get new, larger stream positions than anything copied.
            var since = sync.GetProperty("next_batch").GetString()!;
            var position = PduPosition(since);
            Assert.True(position >= LastPosition, $"after the move /sync is at {position}, before it was at {LastPosition}");
            for (var i = 1; i <= 3; i++)
            {
                var text = $"on Postgres {i} {Guid.NewGuid():N}";
                var eventId = await matrix.SendTextAsync(i % 2 == 1 ? admin : member, RoomId, text, ct);
                var (received, next) = await matrix.WaitForEventAsync(member, since, RoomId, eventId, TimeSpan.FromSeconds(60), ct);
                Assert.Equal(text, received.GetProperty("content").GetProperty("body").GetString());
                var nextPosition = PduPosition(next);
                Assert.True(nextPosition > position && nextPosition > LastPosition,
                    $"message {i} on Postgres got stream position {nextPosition}, not above {position} (last on SQLite: {LastPosition})");
                (since, position) = (next, nextPosition);
            }
        }

        /// <summary>The PDU position of a Dendrite sync token (<c>s&lt;pdu&gt;_&lt;typing&gt;_...</c>).</summary>
        private static long PduPosition(string token)
        {
            Assert.StartsWith("s", token, StringComparison.Ordinal);
            return long.Parse(token[1..].Split('_')[0], CultureInfo.InvariantCulture);
        }
    }
}
