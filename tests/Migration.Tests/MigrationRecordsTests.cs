using DendriteAspire.Migration.Schema;

namespace DendriteAspire.Migration.Tests;

public class MigrationRecordsTests
{
    [Fact]
    public void SameMigrations_PlusThePostgresOnlyOnes_AreNoDifference() =>
        Assert.Empty(MigrationRecords.Differences(
            ["roomserver: add forgotten column", "userapi: rename tables"],
            ["roomserver: add forgotten column", "userapi: rename tables", .. MigrationRecords.PostgresOnly]));

    [Fact]
    public void EveryDifference_IsListedWithItsSide() =>
        Assert.Equal(
            ["only in SQLite: \"userapi: from the future\"", "only in Postgres: \"roomserver: add forgotten column\""],
            MigrationRecords.Differences(["userapi: rename tables", "userapi: from the future"], ["userapi: rename tables", "roomserver: add forgotten column"]));
}
