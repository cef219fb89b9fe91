using DendriteAspire.ConfigRenderer.Model;
using DendriteAspire.ConfigRenderer.Yaml;

namespace DendriteAspire.ConfigRenderer.Tests;

public class YamlTests
{
    [Theory]
    [InlineData("yes")]
    [InlineData("on")]
    [InlineData("Off")]
    [InlineData("y")]
    [InlineData("1_000")]
    [InlineData("12:30")]
    [InlineData("<<")]
    [InlineData("123")]
    [InlineData("true")]
    [InlineData("null")]
    public void StringsThatYaml11ReadsAsSomethingElse_AreQuoted(string secret)
    {
        var config = new DendriteConfig { ClientApi = new ClientApiConfig { RegistrationSharedSecret = secret } };

        var yaml = DendriteYaml.Serialize(config);

        Assert.Contains($"registration_shared_secret: \"{secret}\"\n", yaml, StringComparison.Ordinal);
        Assert.Equal(secret, DendriteYaml.Deserialize(yaml).ClientApi!.RegistrationSharedSecret);
    }

    [Theory]
    [InlineData("a: b #c")]
    [InlineData("*star")]
    [InlineData(" padded ")]
    [InlineData("ordinary-secret")]
    public void AnyString_RoundTrips(string secret)
    {
        var config = new DendriteConfig { ClientApi = new ClientApiConfig { RegistrationSharedSecret = secret } };

        Assert.Equal(secret, DendriteYaml.Deserialize(DendriteYaml.Serialize(config)).ClientApi!.RegistrationSharedSecret);
    }

    [Fact]
    public void NullMembers_AreLeftOut()
    {
        Assert.Equal("version: 2\n", DendriteYaml.Serialize(new DendriteConfig { Version = 2 }));
    }

    [Fact]
    public void DurationsAndSizes_AreWrittenAsText()
    {
        var config = new DendriteConfig
        {
            Global = new GlobalConfig
            {
                Cache = new CacheOptions { MaxSizeEstimated = DataUnit.Megabytes(512), MaxAge = GoDuration.FromTimeSpan(TimeSpan.FromMinutes(30)) },
            },
        };

        Assert.Equal("global:\n  cache:\n    max_size_estimated: 512mb\n    max_age: 30m\n", DendriteYaml.Serialize(config));
    }
}
