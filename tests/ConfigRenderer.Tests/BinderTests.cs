using DendriteAspire.ConfigRenderer.Rendering;
using DendriteAspire.ConfigRenderer.Settings;
using Microsoft.Extensions.Configuration;

namespace DendriteAspire.ConfigRenderer.Tests;

public class BinderTests
{
    private static IConfiguration Configuration(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build();

    [Fact]
    public void Bind_ReadsEveryKindOfValue()
    {
        var configuration = Configuration(
            ("ServerName", "family.example"),
            ("Database:Provider", "postgres"),
            ("Database:ConnectionString", Configs.PostgresUri),
            ("Database:MaxOpenConnections", "40"),
            ("Federation:Enabled", "true"),
            ("Media:MaxFileSizeBytes", "20971520"),
            ("Accounts:AutoJoinRooms:0", "#family:family.example"),
            ("Accounts:AutoJoinRooms:1", "#news:family.example"),
            ("Overrides:client_api.rate_limiting.threshold", "30"));

        var (settings, findings) = DendriteSettingsBinder.Bind(configuration);

        Assert.Empty(findings);
        Assert.Equal("family.example", settings.ServerName);
        Assert.Equal(DatabaseProvider.Postgres, settings.Database.Provider);
        Assert.Equal(Configs.PostgresUri, settings.Database.ConnectionString);
        Assert.Equal(40, settings.Database.MaxOpenConnections);
        Assert.True(settings.Federation.Enabled);
        Assert.Equal(20971520, settings.Media.MaxFileSizeBytes);
        Assert.Equal(["#family:family.example", "#news:family.example"], settings.Accounts.AutoJoinRooms);
        Assert.Equal("30", settings.Overrides["client_api.rate_limiting.threshold"]);
    }

    [Fact]
    public void Bind_LeavesDefaultsForKeysNotGiven()
    {
        var (settings, findings) = DendriteSettingsBinder.Bind(Configuration());

        Assert.Empty(findings);
        Assert.Equal("", settings.ServerName); // never guessed: the validation requires it
        Assert.Equal(DatabaseProvider.Sqlite, settings.Database.Provider);
        Assert.Equal(10 * 1024 * 1024, settings.Media.MaxFileSizeBytes);
        Assert.True(settings.Search.Enabled);
        Assert.False(settings.Federation.Enabled);
    }

    [Theory]
    [InlineData("Database:Provider", "Mysql", "Dendrite:Database:Provider", "use Sqlite or Postgres")]
    [InlineData("Database:Provider", "1", "Dendrite:Database:Provider", "use Sqlite or Postgres")]
    [InlineData("Media:MaxFileSizeBytes", "10MB", "Dendrite:Media:MaxFileSizeBytes", "whole number")]
    [InlineData("Federation:Enabled", "yes", "Dendrite:Federation:Enabled", "true or false")]
    [InlineData("Federation", "true", "Dendrite:Federation", "group of settings")]
    public void Bind_BadValue_IsAnErrorAtTheFullKeyPath(string key, string value, string path, string hint)
    {
        var configuration = Configuration(("Dendrite:" + key, value));

        var result = DendriteSettingsBinder.Bind(configuration, "Dendrite");

        var error = Assert.Single(result.Findings);
        Assert.Equal(FindingSeverity.Error, error.Severity);
        Assert.Equal(path, error.Path);
        Assert.Contains(hint, error.Message, StringComparison.Ordinal);
        Assert.False(result.Succeeded);
    }

    [Fact]
    public void Bind_UnknownKey_SuggestsTheClosestSetting()
    {
        var configuration = Configuration(("Dendrite:Registration:SharedSecert", "x"));

        var result = DendriteSettingsBinder.Bind(configuration.GetSection("Dendrite"), "Dendrite:");

        var error = Assert.Single(result.Findings);
        Assert.Equal("error: Dendrite:Registration:SharedSecert: unknown setting \"SharedSecert\"; did you mean \"SharedSecret\"?", error.ToString());
    }

    [Fact]
    public void Bind_IgnoredTopLevelKeys_AreNotErrors_ButOnlyAtTheTopLevel()
    {
        var configuration = Configuration(
            ("Dendrite:Image", "ghcr.io/element-hq/dendrite-monolith"),
            ("Dendrite:ImageTag", "v0.15.2"),
            ("Dendrite:Kubernetes:Namespace", "family"),
            ("Dendrite:Media:Image", "x"));

        var result = DendriteSettingsBinder.Bind(configuration.GetSection("Dendrite"), "Dendrite:",
            new HashSet<string> { "Image", "ImageTag", "Kubernetes" });

        Assert.Equal("Dendrite:Media:Image", Assert.Single(result.Findings).Path);
    }

    [Fact]
    public void Bind_ThenRender_ReportsOverrideTyposWithTheSettingsPath()
    {
        var configuration = Configuration(("ServerName", "family.example"), ("Overrides:client_api.rate_limiting.threshhold", "30"));
        var (settings, _) = DendriteSettingsBinder.Bind(configuration);
        settings.Registration.SharedSecret = "secret";

        var result = DendriteConfigRenderer.Render(settings, "Dendrite:");

        var error = Assert.Single(result.Findings);
        Assert.Equal("Dendrite:Overrides:client_api.rate_limiting.threshhold", error.Path);
        Assert.Contains("did you mean \"threshold\"?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Overrides_AreAppliedAndValidatedWithConfigPaths()
    {
        var settings = Configs.SqliteSettings();
        settings.Overrides["client_api.rate_limiting.threshold"] = "30";
        settings.Overrides["room_server.default_room_version"] = "11";
        Assert.True(DendriteConfigRenderer.Render(settings).Succeeded);
        var yaml = DendriteConfigRenderer.Render(settings).Yaml!;
        Assert.Contains("threshold: 30", yaml, StringComparison.Ordinal);
        Assert.Contains("default_room_version: \"11\"", yaml, StringComparison.Ordinal);

        settings.Overrides["user_api.bcrypt_cost"] = "2";
        var result = DendriteConfigRenderer.Render(settings);

        Assert.Null(result.Yaml);
        Assert.Equal("user_api.bcrypt_cost", Assert.Single(result.Findings).Path);
    }

    [Fact]
    public void Overrides_MayBeNestedSections()
    {
        var configuration = Configuration(("ServerName", "family.example"), ("Overrides:client_api:rate_limiting:threshold", "30"), ("Registration:SharedSecret", "s"));
        var (settings, findings) = DendriteSettingsBinder.Bind(configuration);

        var yaml = DendriteConfigRenderer.Render(settings).Yaml!;

        Assert.Empty(findings);
        Assert.Contains("threshold: 30\n", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Overrides_WithAValueOfTheWrongType_AreAnError()
    {
        var settings = Configs.SqliteSettings();
        settings.Overrides["user_api.bcrypt_cost"] = "high";

        var result = DendriteConfigRenderer.Render(settings, "Dendrite:");

        Assert.Null(result.Yaml);
        Assert.Equal("Dendrite:Overrides", Assert.Single(result.Findings).Path);
    }
}
