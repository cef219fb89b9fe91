using DendriteAspire.ConfigRenderer.Rendering;
using DendriteAspire.ConfigRenderer.Settings;

namespace DendriteAspire.ConfigRenderer.Tests;

/// <summary>Settings mistakes are reported with the settings key path the admin wrote, prefixed as the AppHost asks.</summary>
public class SettingsValidationTests
{
    private static readonly Dictionary<string, Action<DendriteSettings>> Breakages = new()
    {
        ["server name missing"] = s => s.ServerName = " ",
        ["server name with scheme"] = s => s.ServerName = "https://family.example",
        ["server name with space"] = s => s.ServerName = "my family",
        ["server name with bad port"] = s => s.ServerName = "family.example:70000",
        ["well-known server with scheme"] = s => s.WellKnown.ServerName = "https://matrix.family.example",
        ["well-known client without scheme"] = s => s.WellKnown.ClientUrl = "matrix.family.example",
        ["postgres without connection string"] = s => s.Database.Provider = DatabaseProvider.Postgres,
        ["postgres with key-value string"] = s => { s.Database.Provider = DatabaseProvider.Postgres; s.Database.ConnectionString = "Host=db;Username=dendrite"; },
        ["postgres with sqlite string"] = s => { s.Database.Provider = DatabaseProvider.Postgres; s.Database.ConnectionString = "file:dendrite.db"; },
        ["postgres pool too big"] = s => { s.Database.Provider = DatabaseProvider.Postgres; s.Database.ConnectionString = Configs.PostgresUri; s.Database.MaxOpenConnections = 100; },
        ["postgres idle above open"] = s => { s.Database.Provider = DatabaseProvider.Postgres; s.Database.ConnectionString = Configs.PostgresUri; s.Database.MaxIdleConnections = 60; },
        ["sqlite with connection string"] = s => s.Database.ConnectionString = Configs.PostgresUri,
        ["open registration without captcha"] = s => s.Registration.Open = true,
        ["open registration with captcha and tokens"] = s =>
        {
            s.Registration.Open = true;
            s.Registration.RequiresToken = true;
            s.Registration.Captcha = new CaptchaSettings { Enabled = true, PublicKey = "public", PrivateKey = "private" };
        },
        ["captcha without public key"] = s => { s.Registration.Captcha.Enabled = true; s.Registration.Captcha.PrivateKey = "p"; },
        ["captcha without private key"] = s => { s.Registration.Captcha.Enabled = true; s.Registration.Captcha.PublicKey = "p"; },
        ["captcha siteverify not a url"] = s => { s.Registration.Captcha = new CaptchaSettings { Enabled = true, PublicKey = "a", PrivateKey = "b", SiteVerifyApi = "hcaptcha" }; },
        ["media size negative"] = s => s.Media.MaxFileSizeBytes = -1,
        ["search language unknown"] = s => s.Search.Language = "klingon",
        ["rate limit threshold negative"] = s => s.RateLimiting.Threshold = -20,
        ["rate limit cooloff negative"] = s => s.RateLimiting.CooloffMs = -1,
        ["bcrypt cost too high"] = s => s.Accounts.BcryptCost = 40,
        ["cache size malformed"] = s => s.Cache.MaxSize = "1 GB",
        ["cache age bare number"] = s => s.Cache.MaxAge = "3600",
        ["turn lifetime malformed"] = s => s.Turn.UserLifetime = "five minutes",
        ["log level unknown"] = s => s.Logging.Level = "loud",
    };

    [Theory]
    [InlineData("server name missing", "Dendrite:ServerName")]
    [InlineData("server name with scheme", "Dendrite:ServerName")]
    [InlineData("server name with space", "Dendrite:ServerName")]
    [InlineData("server name with bad port", "Dendrite:ServerName")]
    [InlineData("well-known server with scheme", "Dendrite:WellKnown:ServerName")]
    [InlineData("well-known client without scheme", "Dendrite:WellKnown:ClientUrl")]
    [InlineData("postgres without connection string", "Dendrite:Database:ConnectionString")]
    [InlineData("postgres with key-value string", "Dendrite:Database:ConnectionString")]
    [InlineData("postgres with sqlite string", "Dendrite:Database:ConnectionString")]
    [InlineData("postgres pool too big", "Dendrite:Database:MaxOpenConnections")]
    [InlineData("postgres idle above open", "Dendrite:Database:MaxIdleConnections")]
    [InlineData("sqlite with connection string", "Dendrite:Database:ConnectionString")]
    [InlineData("open registration without captcha", "Dendrite:Registration:Open")]
    [InlineData("open registration with captcha and tokens", "Dendrite:Registration:RequiresToken")]
    [InlineData("captcha without public key", "Dendrite:Registration:Captcha:PublicKey")]
    [InlineData("captcha without private key", "Dendrite:Registration:Captcha:PrivateKey")]
    [InlineData("captcha siteverify not a url", "Dendrite:Registration:Captcha:SiteVerifyApi")]
    [InlineData("media size negative", "Dendrite:Media:MaxFileSizeBytes")]
    [InlineData("search language unknown", "Dendrite:Search:Language")]
    [InlineData("rate limit threshold negative", "Dendrite:RateLimiting:Threshold")]
    [InlineData("rate limit cooloff negative", "Dendrite:RateLimiting:CooloffMs")]
    [InlineData("bcrypt cost too high", "Dendrite:Accounts:BcryptCost")]
    [InlineData("cache size malformed", "Dendrite:Cache:MaxSize")]
    [InlineData("cache age bare number", "Dendrite:Cache:MaxAge")]
    [InlineData("turn lifetime malformed", "Dendrite:Turn:UserLifetime")]
    [InlineData("log level unknown", "Dendrite:Logging:Level")]
    public void Render_ReportsSettingsMistakesAtTheSettingsKeyPath(string breakage, string path)
    {
        var settings = Configs.SqliteSettings();
        Breakages[breakage](settings);

        var result = DendriteConfigRenderer.Render(settings, "Dendrite:");

        Assert.Null(result.Yaml);
        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Findings, f => f.Severity == FindingSeverity.Error);
        Assert.Equal(path, error.Path);
        Assert.Matches("; |e\\.g\\.", error.Message);
    }

    [Fact]
    public void EveryBreakage_HasACase()
    {
        var cases = typeof(SettingsValidationTests).GetMethod(nameof(Render_ReportsSettingsMistakesAtTheSettingsKeyPath))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>()
            .Select(a => (string)a.Data[0]!).ToHashSet();
        Assert.Equal(Breakages.Keys.Order(), cases.Order());
    }

    [Fact]
    public void WellKnownServerNameWithScheme_ReadsAsTheIssueDescribes()
    {
        var settings = Configs.SqliteSettings();
        settings.WellKnown.ServerName = "https://matrix.family.example";

        var result = DendriteConfigRenderer.Render(settings, "Dendrite:");

        Assert.Equal(
            "error: Dendrite:WellKnown:ServerName: must be host[:port] without a scheme; remove \"https://\"",
            Assert.Single(result.Findings).ToString());
    }

    [Fact]
    public void NoPrefix_GivesBareSettingsPaths()
    {
        var settings = Configs.SqliteSettings();
        settings.Media.MaxFileSizeBytes = -5;

        var result = DendriteConfigRenderer.Render(settings);

        Assert.Equal("Media:MaxFileSizeBytes", Assert.Single(result.Findings).Path);
    }

    [Fact]
    public void OpenRegistrationWithTokens_IsRefusedBecauseDendriteNeverChecksTokens()
    {
        var settings = Configs.SqliteSettings();
        settings.Registration.Open = true;
        settings.Registration.RequiresToken = true;
        settings.Registration.Captcha = new CaptchaSettings { Enabled = true, PublicKey = "public", PrivateKey = "private" };

        var result = DendriteConfigRenderer.Render(settings, "Dendrite:");

        Assert.Null(result.Yaml);
        var error = Assert.Single(result.Findings, f => f.Severity == FindingSeverity.Error);
        Assert.Equal("Dendrite:Registration:RequiresToken", error.Path);
        Assert.Contains("tokens are not enforced by Dendrite's /register", error.Message, StringComparison.Ordinal);
        Assert.Contains("so registration is open to anyone", error.Message, StringComparison.Ordinal);
        Assert.Contains("keep registration disabled and create accounts with the shared secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenRegistrationWithOnlyTokens_IsRefusedForBothReasons()
    {
        var settings = Configs.SqliteSettings();
        settings.Registration.Open = true;
        settings.Registration.RequiresToken = true;

        var result = DendriteConfigRenderer.Render(settings, "Dendrite:");

        Assert.Null(result.Yaml);
        Assert.Equal(["Dendrite:Registration:Open", "Dendrite:Registration:RequiresToken"],
            result.Findings.Where(f => f.Severity == FindingSeverity.Error).Select(f => f.Path));
    }

    [Fact]
    public void TokensWithClosedRegistration_Render()
    {
        var settings = Configs.SqliteSettings();
        settings.Registration.RequiresToken = true;

        var result = DendriteConfigRenderer.Render(settings);

        Assert.True(result.Succeeded, string.Join("\n", result.Findings));
        Assert.Contains("registration_requires_token: true", result.Yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void OverridesThatOpenRegistrationWithTokens_AreRefusedInTheSameWords()
    {
        var settings = Configs.SqliteSettings();
        settings.Registration.Captcha = new CaptchaSettings { Enabled = true, PublicKey = "public", PrivateKey = "private" };
        settings.Overrides["client_api.registration_disabled"] = "false";
        settings.Overrides["client_api.registration_requires_token"] = "true";

        var result = DendriteConfigRenderer.Render(settings, "Dendrite:");

        Assert.Null(result.Yaml);
        var error = Assert.Single(result.Findings, f => f.Severity == FindingSeverity.Error);
        Assert.Equal("client_api.registration_requires_token", error.Path);
        Assert.Contains("tokens are not enforced by Dendrite's /register", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingServerName_IsRequiredAndNeverGuessed()
    {
        var result = DendriteConfigRenderer.Render(new DendriteSettings(), "Dendrite:");

        Assert.Null(result.Yaml);
        var error = Assert.Single(result.Findings, f => f.Severity == FindingSeverity.Error);
        Assert.Equal("Dendrite:ServerName", error.Path);
        Assert.StartsWith("is required; set it to the domain in your user IDs, such as family.example", error.Message, StringComparison.Ordinal);
        Assert.Contains("it can never change later", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyTurnLifetime_IsUnsetAndOnlyWarnsWhenTurnUrisAreSet()
    {
        var withoutTurn = Configs.SqliteSettings();
        withoutTurn.Turn.UserLifetime = "";
        var withTurn = Configs.SqliteSettings();
        withTurn.Turn = new TurnSettings { Uris = ["turn:turn.family.example"], SharedSecret = "s", UserLifetime = "" };

        Assert.Empty(DendriteConfigRenderer.Render(withoutTurn).Findings);
        var result = DendriteConfigRenderer.Render(withTurn);
        Assert.True(result.Succeeded, string.Join("\n", result.Findings));
        Assert.Equal("Turn:UserLifetime", Assert.Single(result.Findings).Path);
        Assert.Equal(FindingSeverity.Warning, result.Findings[0].Severity);
    }

    [Fact]
    public void ClosedRegistrationWithoutSharedSecret_RendersWithAWarning()
    {
        var result = DendriteConfigRenderer.Render(new DendriteSettings { ServerName = "family.example" }, "Dendrite:");

        Assert.True(result.Succeeded);
        var warning = Assert.Single(result.Findings);
        Assert.Equal(FindingSeverity.Warning, warning.Severity);
        Assert.Equal("Dendrite:Registration:SharedSecret", warning.Path);
    }

    [Fact]
    public void FederationOnLocalhost_RendersWithAWarning()
    {
        var settings = Configs.SqliteSettings();
        settings.ServerName = "localhost:8008";
        settings.Federation.Enabled = true;

        var result = DendriteConfigRenderer.Render(settings, "Dendrite:");

        Assert.True(result.Succeeded);
        Assert.Equal("Dendrite:Federation:Enabled", Assert.Single(result.Findings).Path);
    }

    [Fact]
    public void EverythingOn_RendersWithoutErrors()
    {
        var result = DendriteConfigRenderer.Render(Configs.EverythingSettings());

        Assert.True(result.Succeeded, string.Join("\n", result.Findings));
        Assert.Empty(result.Findings);
    }
}
