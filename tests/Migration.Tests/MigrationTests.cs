using DendriteAspire.Migration.Cli;
using Npgsql;

namespace DendriteAspire.Migration.Tests;

/// <summary>
/// The whole migration between Dendrite v0.15.2's real SQLite and Postgres schemas, on a real PostgreSQL: what is
/// copied, how the sequences end up, and every refusal leaving the target exactly as it was.
/// </summary>
[Trait("Category", "Live")]
[Collection(PostgresServerDefinition.Name)]
public sealed class MigrationTests(PostgresServer server) : IDisposable
{
    private readonly List<string> directories = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A SQLite set with a little of everything, and a target as Dendrite leaves it after its first start.</summary>
    private async Task<(string Sqlite, string Target)> PrepareAsync()
    {
        var sqlite = DendriteSchemas.CreateSqliteSet();
        directories.Add(sqlite);
        DendriteSchemas.Execute(Path.Combine(sqlite, "userapi.db"), """
            INSERT INTO userapi_accounts VALUES ('alice', 'localhost', 1700000000000, '$2a$10$hash', NULL, 0, 1);
            INSERT INTO userapi_accounts VALUES ('bob', 'localhost', 1700000000001, '$2a$10$hash', NULL, 1, 1);
            INSERT INTO userapi_login_tokens VALUES ('token', '2030-01-01 00:00:00+00:00', '@alice:localhost');
            """);
        DendriteSchemas.Execute(Path.Combine(sqlite, "roomserver.db"), """
            INSERT INTO roomserver_event_types (event_type_nid, event_type) VALUES (9, 'org.example.custom');
            INSERT INTO roomserver_events (event_nid, room_nid, event_type_nid, event_state_key_nid, sent_to_output, depth, event_id, auth_event_nids, is_rejected)
              VALUES (1, 1, 1, 1, 1, 1, '$one', '[]', 0), (2, 1, 2, 1, 1, 2, '$two', '[1]', 0), (3, 1, 9, 1, 0, 3, '$three', '[1,2]', 1);
            INSERT INTO roomserver_previous_events VALUES ('$one', '2,3');
            INSERT INTO roomserver_state_block (state_block_nid, state_block_hash, event_nids) VALUES (5, X'00FF10', '[1,2,3]');
            """);
        DendriteSchemas.Execute(Path.Combine(sqlite, "syncapi.db"), """
            INSERT INTO syncapi_output_room_events (id, event_id, room_id, headered_event_json, type, sender, contains_url, add_state_ids, remove_state_ids)
              VALUES (100, '$one', '!r:localhost', X'7B7D', 'm.room.create', '@alice:localhost', 0, '["$one"]', 'null');
            INSERT INTO syncapi_account_data_type (id, user_id, room_id, type) VALUES (250, '@alice:localhost', '', 'm.push_rules');
            INSERT INTO syncapi_invite_events (id, event_id, room_id, target_user_id, headered_event_json, deleted)
              VALUES (120, '$inv', '!r:localhost', '@bob:localhost', '{}', 1);
            INSERT INTO syncapi_send_to_device (id, user_id, device_id, content) VALUES (500, '@bob:localhost', 'PHONE', '{}');
            DELETE FROM syncapi_send_to_device;
            """);
        var target = await server.CreateDatabaseAsync();
        await DendriteSchemas.CreatePostgresSchemaAsync(target);
        return (sqlite, target);
    }

    [Fact]
    public async Task Migrate_CopiesEveryRow_ConvertsTheValues_AndLeavesSqliteUntouched()
    {
        var (sqlite, target) = await PrepareAsync();
        var before = DendriteSchemas.Checksums(sqlite);

        var result = await PostgresMigration.RunAsync(new MigrationOptions(sqlite, target), TextWriter.Null, Ct);

        // alice, bob, and the server-notices account Dendrite's generate-config config made on the first start.
        Assert.Equal(3, result.CopiedRows["userapi_accounts"]);
        Assert.Equal(3, result.CopiedRows["roomserver_events"]);
        Assert.Equal(9, result.CopiedRows["roomserver_event_types"]);
        Assert.DoesNotContain("syncapi_stream_id", result.CopiedRows.Keys);
        Assert.Equal(before, DendriteSchemas.Checksums(sqlite));
        Assert.True(await DendriteSchemas.ScalarAsync<bool>(target, "SELECT is_deactivated FROM userapi_accounts WHERE localpart = 'bob'"));
        var authEvents = await DendriteSchemas.ScalarAsync<long[]>(target, "SELECT auth_event_nids FROM roomserver_events WHERE event_nid = 3");
        Assert.Equal([1L, 2L], authEvents);
        Assert.True(await DendriteSchemas.ScalarAsync<bool>(target, "SELECT is_rejected FROM roomserver_events WHERE event_nid = 3"));
        var previous = await DendriteSchemas.ScalarAsync<long[]>(target, "SELECT event_nids FROM roomserver_previous_events");
        Assert.Equal([2L, 3L], previous);
        var hash = await DendriteSchemas.ScalarAsync<byte[]>(target, "SELECT state_block_hash FROM roomserver_state_block");
        Assert.Equal([0x00, 0xFF, 0x10], hash);
        Assert.Equal("{}", await DendriteSchemas.ScalarAsync<string>(target, "SELECT headered_event_json FROM syncapi_output_room_events"));
        var addState = await DendriteSchemas.ScalarAsync<string[]>(target, "SELECT add_state_ids FROM syncapi_output_room_events");
        Assert.Equal(["$one"], addState);
        Assert.True(await DendriteSchemas.ScalarAsync<bool>(target, "SELECT remove_state_ids IS NULL FROM syncapi_output_room_events"));
        Assert.Equal(new DateTime(2030, 1, 1), await DendriteSchemas.ScalarAsync<DateTime>(target, "SELECT token_expires_at FROM userapi_login_tokens"));
    }

    [Fact]
    public async Task Migrate_MovesEverySequencePastEveryColumnDrawingFromIt_AndNeverBackwards()
    {
        var (sqlite, target) = await PrepareAsync();

        await PostgresMigration.RunAsync(new MigrationOptions(sqlite, target), TextWriter.Null, Ct);

        // syncapi_stream_id feeds four tables: past the largest id of all of them (250, in account data), not just events (100).
        Assert.Equal(251L, await DendriteSchemas.ScalarAsync<long>(target, "SELECT nextval('syncapi_stream_id')"));
        Assert.Equal(4L, await DendriteSchemas.ScalarAsync<long>(target, "SELECT nextval('roomserver_event_nid_seq')"));
        Assert.Equal(6L, await DendriteSchemas.ScalarAsync<long>(target, "SELECT nextval('roomserver_state_block_nid_seq')"));
        // Starts at 65536 by design (ids below are Dendrite's fixed ones): the copied 9 does not pull it back.
        Assert.Equal(65536L, await DendriteSchemas.ScalarAsync<long>(target, "SELECT nextval('roomserver_event_type_nid_seq')"));
        // A to-device message SQLite handed out as id 500 and deleted once delivered: clients may hold position 500.
        Assert.Equal(501L, await DendriteSchemas.ScalarAsync<long>(target, "SELECT nextval('syncapi_send_to_device_id')"));
        // What the next message does: a new id, larger than every copied one.
        await DendriteSchemas.ExecuteAsync(target, """
            INSERT INTO syncapi_output_room_events (event_id, room_id, headered_event_json, type, sender, contains_url)
              VALUES ('$new', '!r:localhost', '{}', 'm.room.message', '@bob:localhost', false)
            """);
        Assert.True(await DendriteSchemas.ScalarAsync<long>(target, "SELECT id FROM syncapi_output_room_events WHERE event_id = '$new'") > 250);
    }

    [Fact]
    public async Task DifferentSchemaVersions_AreRefusedWithTheDifferences_AndNothingIsWritten()
    {
        var (sqlite, target) = await PrepareAsync();
        DendriteSchemas.Execute(Path.Combine(sqlite, "roomserver.db"),
            "INSERT INTO db_migrations VALUES ('roomserver: from a newer release', '2030-01-01T00:00:00Z', '0.99.0')");
        await DendriteSchemas.ExecuteAsync(target, "DELETE FROM db_migrations WHERE version = 'userapi: add last_seen_ts'");
        var before = await DendriteSchemas.SnapshotAsync(target);

        var refused = await Assert.ThrowsAsync<MigrationRefusedException>(
            () => PostgresMigration.RunAsync(new MigrationOptions(sqlite, target, Replace: true), TextWriter.Null, Ct));

        Assert.Contains("same Dendrite schema version", refused.Summary, StringComparison.Ordinal);
        Assert.Equal(
            ["only in SQLite: \"roomserver: from a newer release\"", "only in SQLite: \"userapi: add last_seen_ts\""],
            refused.Problems);
        Assert.Equal(before, await DendriteSchemas.SnapshotAsync(target));
    }

    [Fact]
    public async Task TargetWithoutDendritesSchema_IsRefused_TellingToStartDendriteFirst()
    {
        var (sqlite, _) = await PrepareAsync();
        var empty = await server.CreateDatabaseAsync();

        var refused = await Assert.ThrowsAsync<MigrationRefusedException>(
            () => PostgresMigration.RunAsync(new MigrationOptions(sqlite, empty), TextWriter.Null, Ct));

        Assert.Contains(refused.Problems, p => p.Contains("start Dendrite once", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TargetWithAccounts_IsRefusedWithoutReplace_AndReplacedWithIt()
    {
        var (sqlite, target) = await PrepareAsync();
        await DendriteSchemas.ExecuteAsync(target,
            "INSERT INTO userapi_accounts (localpart, server_name, created_ts, account_type) VALUES ('someone', 'localhost', 1, 1)");
        var before = await DendriteSchemas.SnapshotAsync(target);

        var refused = await Assert.ThrowsAsync<MigrationRefusedException>(
            () => PostgresMigration.RunAsync(new MigrationOptions(sqlite, target), TextWriter.Null, Ct));
        Assert.Contains("already holds 1 accounts", refused.Message, StringComparison.Ordinal);
        Assert.Contains("--replace", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, await DendriteSchemas.SnapshotAsync(target));

        await PostgresMigration.RunAsync(new MigrationOptions(sqlite, target, Replace: true), TextWriter.Null, Ct);
        Assert.Equal(3L, await DendriteSchemas.ScalarAsync<long>(target, "SELECT count(*) FROM userapi_accounts"));
        Assert.Equal(0L, await DendriteSchemas.ScalarAsync<long>(target, "SELECT count(*) FROM userapi_accounts WHERE localpart = 'someone'"));
    }

    [Fact]
    public async Task ColumnOfATypeWithNoConversion_IsRefusedNamingTableAndColumn()
    {
        var (sqlite, target) = await PrepareAsync();
        await DendriteSchemas.ExecuteAsync(target, "ALTER TABLE userapi_accounts ALTER COLUMN created_ts TYPE numeric");
        var before = await DendriteSchemas.SnapshotAsync(target);

        var refused = await Assert.ThrowsAsync<MigrationRefusedException>(
            () => PostgresMigration.RunAsync(new MigrationOptions(sqlite, target), TextWriter.Null, Ct));

        var problem = Assert.Single(refused.Problems);
        Assert.StartsWith("userapi.db: userapi_accounts.created_ts: no conversion from SQLite (BIGINT) to the Postgres type numeric", problem, StringComparison.Ordinal);
        Assert.Equal(before, await DendriteSchemas.SnapshotAsync(target));
    }

    [Fact]
    public async Task ValueThatCannotBeConverted_RollsBackEverything_NamingTableColumnAndRow()
    {
        var (sqlite, target) = await PrepareAsync();
        DendriteSchemas.Execute(Path.Combine(sqlite, "userapi.db"), "UPDATE userapi_accounts SET is_deactivated = 5 WHERE localpart = 'bob'");
        var before = await DendriteSchemas.SnapshotAsync(target);

        var refused = await Assert.ThrowsAsync<MigrationRefusedException>(
            () => PostgresMigration.RunAsync(new MigrationOptions(sqlite, target), TextWriter.Null, Ct));

        Assert.StartsWith("userapi_accounts.is_deactivated (row 3): expected 0 or 1, found the integer 5", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, await DendriteSchemas.SnapshotAsync(target));
    }

    [Fact]
    public async Task RowCountsThatDiffer_RollEverythingBack()
    {
        var (sqlite, target) = await PrepareAsync();
        // A trigger that drops one row on the way in: the copy "succeeds", the count check must catch it.
        await DendriteSchemas.ExecuteAsync(target, """
            CREATE FUNCTION drop_bob() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.localpart = 'bob' THEN RETURN NULL; END IF; RETURN NEW; END $$;
            CREATE TRIGGER drop_bob BEFORE INSERT ON userapi_accounts FOR EACH ROW EXECUTE FUNCTION drop_bob();
            """);
        var before = await DendriteSchemas.SnapshotAsync(target);

        var refused = await Assert.ThrowsAsync<MigrationRefusedException>(
            () => PostgresMigration.RunAsync(new MigrationOptions(sqlite, target), TextWriter.Null, Ct));

        Assert.Contains("userapi_accounts: 3 rows in SQLite, 2 in Postgres", refused.Problems);
        Assert.Equal(before, await DendriteSchemas.SnapshotAsync(target));
    }

    [Fact]
    public async Task DryRun_PrintsTablesRowsAndConversions_AndWritesNothing()
    {
        var (sqlite, target) = await PrepareAsync();
        var before = await DendriteSchemas.SnapshotAsync(target);
        var output = new StringWriter();

        var exit = await MigrationCommandLine.RunAsync(
            ["migrate-to-postgres", "--from", sqlite, "--to", ToUri(target), "--dry-run"], output, output, PasswordOf(target), Ct);

        Assert.True(exit == ExitCodes.Success, output.ToString());
        var text = output.ToString();
        Assert.Matches(@"roomserver_events +3 rows +sent_to_output: integer 0/1 → boolean; auth_event_nids: text JSON or comma list → bigint\[\]", text);
        Assert.Matches(@"roomserver_state_block +1 rows +state_block_hash: BLOB → bytea", text);
        Assert.Contains("dry run: nothing was written", text, StringComparison.Ordinal);
        Assert.Equal(before, await DendriteSchemas.SnapshotAsync(target));
    }

    [Fact]
    public async Task Cli_ExitCodes_RefusedAndUsage()
    {
        var (sqlite, target) = await PrepareAsync();
        await DendriteSchemas.ExecuteAsync(target,
            "INSERT INTO roomserver_events (room_nid, event_type_nid, event_state_key_nid, depth, event_id, auth_event_nids) VALUES (1, 1, 1, 1, '$x', '{}')");
        var output = new StringWriter();

        Assert.Equal(ExitCodes.Refused, await MigrationCommandLine.RunAsync(
            ["migrate-to-postgres", "--from", sqlite, "--to", ToUri(target)], output, output, PasswordOf(target), Ct));
        Assert.Contains("refused: the target database", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, await MigrationCommandLine.RunAsync(
            ["migrate-to-postgres", "--to", ToUri(target)], TextWriter.Null, TextWriter.Null, _ => null, Ct));
        Assert.Equal(ExitCodes.Usage, await MigrationCommandLine.RunAsync(
            ["migrate-to-postgres", "--from", sqlite, "--to", "postgres://u:pw@localhost/dendrite"], TextWriter.Null, TextWriter.Null, _ => null, Ct));
    }

    private static string ToUri(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        return $"postgres://{b.Username}@{b.Host}:{b.Port}/{b.Database}?sslmode=disable";
    }

    private static Func<string, string?> PasswordOf(string connectionString) =>
        name => name == TargetConnection.PasswordVariable ? new NpgsqlConnectionStringBuilder(connectionString).Password : null;

    public void Dispose()
    {
        foreach (var directory in directories)
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
