using DendriteAspire.Migration.Cli;
using Npgsql;

namespace DendriteAspire.Migration.Tests;

public class TargetConnectionTests
{
    [Fact]
    public void PostgresUri_BecomesAConnectionString_WithThePasswordFromTheEnvironment()
    {
        var built = new NpgsqlConnectionStringBuilder(TargetConnection.Build("postgres://dendrite@localhost:54321/dendrite?sslmode=disable", "s3cret"));

        Assert.Equal("localhost", built.Host);
        Assert.Equal(54321, built.Port);
        Assert.Equal("dendrite", built.Username);
        Assert.Equal("dendrite", built.Database);
        Assert.Equal(SslMode.Disable, built.SslMode);
        Assert.Equal("s3cret", built.Password);
    }

    [Theory]
    [InlineData("postgres://dendrite:s3cret@localhost/dendrite")]
    [InlineData("postgres://dendrite@localhost/dendrite?password=s3cret")]
    [InlineData("Host=localhost;Database=dendrite;Password=s3cret")]
    public void PasswordInTheArgument_IsRefused(string target) =>
        Assert.Contains("PGPASSWORD", Assert.Throws<ArgumentException>(() => TargetConnection.Build(target, null)).Message, StringComparison.Ordinal);

    [Fact]
    public void MissingDatabase_IsRefused() =>
        Assert.Contains("name the database", Assert.Throws<ArgumentException>(() => TargetConnection.Build("postgres://u@localhost:5432", null)).Message,
            StringComparison.Ordinal);
}
