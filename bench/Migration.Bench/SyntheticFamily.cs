using System.Globalization;
using Microsoft.Data.Sqlite;

namespace DendriteAspire.Migration.Bench;

/// <summary>
/// Dendrite v0.15.2's SQLite databases (from the dumps of its first start) plus N text messages in one room, with the
/// row shapes Dendrite writes: event JSON of a realistic size stored as BLOB (Go binds []byte), NIDs as JSON arrays,
/// previous events as a comma list.
/// </summary>
public static class SyntheticFamily
{
    private static readonly string[] Components = ["federationapi", "keyserver", "mediaapi", "roomserver", "syncapi", "userapi"];

    public static void Create(string directory, int events)
    {
        foreach (var component in Components)
        {
            using var connection = Open(Path.Combine(directory, $"{component}.db"));
            using var schema = connection.CreateCommand();
            schema.CommandText = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "DendriteSchema", $"sqlite-{component}.sql"));
            schema.ExecuteNonQuery();
        }

        using (var roomserver = Open(Path.Combine(directory, "roomserver.db")))
        using (var transaction = roomserver.BeginTransaction())
        {
            var insertEvent = Command(roomserver, transaction,
                "INSERT INTO roomserver_events (event_nid, room_nid, event_type_nid, event_state_key_nid, sent_to_output, state_snapshot_nid, depth, event_id, auth_event_nids, is_rejected) VALUES ($1, 1, 8, 1, 1, 3, $1, $2, '[1,2,3]', 0)");
            var insertJson = Command(roomserver, transaction, "INSERT INTO roomserver_event_json (event_nid, event_json) VALUES ($1, $2)");
            var insertPrevious = Command(roomserver, transaction, "INSERT INTO roomserver_previous_events (previous_event_id, event_nids) VALUES ($1, $2)");
            for (var i = 1; i <= events; i++)
            {
                Run(insertEvent, i, EventId(i));
                Run(insertJson, i, EventJson(i));
                Run(insertPrevious, EventId(i - 1), (i).ToString(CultureInfo.InvariantCulture));
            }

            transaction.Commit();
        }

        using (var syncapi = Open(Path.Combine(directory, "syncapi.db")))
        using (var transaction = syncapi.BeginTransaction())
        {
            var insertEvent = Command(syncapi, transaction,
                "INSERT INTO syncapi_output_room_events (id, event_id, room_id, headered_event_json, type, sender, contains_url, add_state_ids, remove_state_ids, session_id, transaction_id, exclude_from_sync, history_visibility) VALUES ($1, $2, '!family:localhost', $3, 'm.room.message', '@mum:localhost', 0, NULL, NULL, 1, $4, 0, 2)");
            var insertTopology = Command(syncapi, transaction,
                "INSERT INTO syncapi_output_room_events_topology (event_id, topological_position, stream_position, room_id) VALUES ($1, $2, $2, '!family:localhost')");
            for (var i = 1; i <= events; i++)
            {
                Run(insertEvent, i, EventId(i), EventJson(i), $"txn{i}");
                Run(insertTopology, EventId(i), i);
            }

            transaction.Commit();
        }
    }

    private static string EventId(int i) => string.Create(CultureInfo.InvariantCulture, $"${i:D12}abcdefghijklmnopqrstuvwxyzABCDEF");

    private static byte[] EventJson(int i) => System.Text.Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $$$"""{"auth_events":["$000000000001abcdefghijklmnopqrstuvwxyzABCDEF","$000000000002abcdefghijklmnopqrstuvwxyzABCDEF","$000000000003abcdefghijklmnopqrstuvwxyzABCDEF"],"content":{"body":"message {{{i}}}: see you at dinner, and bring the photos from the weekend","msgtype":"m.text"},"depth":{{{i}}},"hashes":{"sha256":"Tw9nQb6G6kWm0s3ZoqkXqW0Yb5u3Hq2b1V2tXoQpLw8"},"origin_server_ts":{{{1700000000000L + i}}},"prev_events":["{{{EventId(i - 1)}}}"],"room_id":"!family:localhost","sender":"@mum:localhost","signatures":{"localhost":{"ed25519:a_Xyz1":"n5dV0pTqf2b3Hn8lq1oXw8kq0Ck0gF2G4YQ2l2m3l0H9Vq1mZCk7tKx3l2pR8mQ2dT5uB1kq0Ck0gF2G4YQ2lA"}},"type":"m.room.message"}"""));

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static void Run(SqliteCommand command, params object[] values)
    {
        command.Parameters.Clear();
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters.AddWithValue($"${i + 1}", values[i]);
        }

        command.ExecuteNonQuery();
    }
}
