using DendriteAspire.Migration.Schema;
using Npgsql;

namespace DendriteAspire.Migration.Tests;

/// <summary>Sequence discovery from the catalog, against the schema Dendrite v0.15.2 really creates.</summary>
[Trait("Category", "Live")]
[Collection(PostgresServerDefinition.Name)]
public class SequenceDiscoveryTests(PostgresServer server)
{
    private async Task<IReadOnlyList<SequenceUse>> DiscoverAsync()
    {
        var database = await server.CreateDatabaseAsync();
        await DendriteSchemas.CreatePostgresSchemaAsync(database);
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        return await SequenceDiscovery.FindAsync(connection, null, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task EverySequenceOfDendrite_IsFound_WithAtLeastOneColumn()
    {
        var sequences = await DiscoverAsync();

        Assert.Equal(21, sequences.Count);
        Assert.All(sequences, s => Assert.NotEmpty(s.Columns));
    }

    [Fact]
    public async Task SyncStreamId_IsSharedByEveryColumnThatDrawsFromIt()
    {
        var streamId = Assert.Single(await DiscoverAsync(), s => s.Sequence == "syncapi_stream_id");

        Assert.Equal(
            [
                new SequenceColumn("syncapi_account_data_type", "id"),
                new SequenceColumn("syncapi_invite_events", "id"),
                new SequenceColumn("syncapi_output_room_events", "id"),
                new SequenceColumn("syncapi_peeks", "id"),
            ],
            streamId.Columns);
    }

    [Fact]
    public async Task SerialColumns_AreFoundThroughOwnership_AndDefaultsThroughTheirExpression()
    {
        var sequences = await DiscoverAsync();

        // bigserial / serial: the sequence is owned by the column (pg_depend 'a').
        Assert.Contains(new SequenceColumn("userapi_pushers", "id"), Assert.Single(sequences, s => s.Sequence == "userapi_pushers_id_seq").Columns);
        // CREATE SEQUENCE ... START 65536 and DEFAULT nextval(...): found through the default.
        Assert.Equal([new SequenceColumn("roomserver_event_types", "event_type_nid")],
            Assert.Single(sequences, s => s.Sequence == "roomserver_event_type_nid_seq").Columns);
    }

    [Fact]
    public async Task ASequenceAddedLater_ForTwoTables_IsFoundWithBoth()
    {
        var database = await server.CreateDatabaseAsync();
        await DendriteSchemas.ExecuteAsync(database, """
            CREATE SEQUENCE shared_seq START 100;
            CREATE TABLE a (id BIGINT DEFAULT nextval('shared_seq'));
            CREATE TABLE b (n BIGINT);
            ALTER TABLE b ALTER COLUMN n SET DEFAULT nextval('shared_seq');
            CREATE SEQUENCE unused_seq;
            """);
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(TestContext.Current.CancellationToken);

        var sequences = await SequenceDiscovery.FindAsync(connection, null, TestContext.Current.CancellationToken);

        Assert.Equal([new SequenceColumn("a", "id"), new SequenceColumn("b", "n")], Assert.Single(sequences, s => s.Sequence == "shared_seq").Columns);
        Assert.Empty(Assert.Single(sequences, s => s.Sequence == "unused_seq").Columns);
    }
}
