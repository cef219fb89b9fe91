using DendriteAspire.ConfigRenderer.Layout;
using DendriteAspire.ConfigRenderer.Rendering;
using DendriteAspire.ConfigRenderer.Settings;
using Microsoft.Extensions.Configuration;

namespace DendriteAspire.ConfigRenderer.Tests;

/// <summary>Dendrite:Import: the Slack import's application-service registration exists only while enabled.</summary>
public class ImportSettingsTests
{
    [Fact]
    public void Import_is_off_by_default_and_renders_no_registration()
    {
        var result = DendriteConfigRenderer.Render(Configs.SqliteSettings());
        Assert.True(result.Succeeded);
        Assert.Null(result.ImportRegistrationYaml);
        Assert.DoesNotContain("app_service_api", result.Yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Enabled_loads_the_registration_from_the_config_directory()
    {
        var settings = Configs.SqliteSettings();
        settings.Import.Enabled = true;
        settings.Import.Token = Configs.ImportToken;
        var result = DendriteConfigRenderer.Render(settings);

        Assert.True(result.Succeeded, string.Join("\n", result.Findings));
        var leaves = YamlKeyPaths.Leaves(result.Yaml!);
        Assert.Equal(DendritePaths.ImportRegistrationFile, leaves["app_service_api.config_files[0]"]);
        var registration = YamlKeyPaths.Leaves(result.ImportRegistrationYaml!);
        Assert.Equal(Configs.ImportToken, registration["as_token"]);
        Assert.Equal("slack-import", registration["sender_localpart"]);
        Assert.Equal("false", registration["rate_limited"]);
        Assert.Equal("false", registration["namespaces.users[0].exclusive"]);
        Assert.Equal(@"^@.*:family\.example$", registration["namespaces.users[0].regex"]);
        Assert.Equal("", registration["url"]);
        Assert.NotEqual(Configs.ImportToken, registration["hs_token"]);
        Assert.DoesNotContain("rooms", result.ImportRegistrationYaml, StringComparison.Ordinal);
        Assert.DoesNotContain("aliases", result.ImportRegistrationYaml, StringComparison.Ordinal);
        Assert.DoesNotContain(Configs.ImportToken, result.Yaml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "is empty while Import:Enabled is true")]
    [InlineData("short", "is 5 characters")]
    [InlineData("a-long-random-secret", "is 20 characters")]
    public void Enabled_without_a_long_token_is_an_error_naming_the_key(string? token, string expected)
    {
        var settings = Configs.SqliteSettings();
        settings.Import.Enabled = true;
        settings.Import.Token = token;
        var result = DendriteConfigRenderer.Render(settings, "Dendrite:");

        Assert.False(result.Succeeded);
        var finding = Assert.Single(result.Findings, f => f.Severity == FindingSeverity.Error);
        Assert.Equal("Dendrite:Import:Token", finding.Path);
        Assert.Contains(expected, finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_token_may_not_be_the_shared_secret()
    {
        var settings = Configs.SqliteSettings();
        settings.Registration.SharedSecret = Configs.ImportToken;
        settings.Import.Enabled = true;
        settings.Import.Token = Configs.ImportToken;
        Assert.Contains(DendriteConfigRenderer.Render(settings).Findings, f => f.Path == "Import:Token" && f.Message.Contains("equals Registration:SharedSecret", StringComparison.Ordinal));
    }

    [Fact]
    public void The_setting_binds_from_configuration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Dendrite:ServerName"] = "family.example",
            ["Dendrite:Import:Enabled"] = "true",
        }).Build();
        var bound = DendriteSettingsBinder.Bind(configuration, "Dendrite:");
        Assert.True(bound.Succeeded, string.Join("\n", bound.Findings));
        Assert.True(bound.Settings.Import.Enabled);
    }
}
