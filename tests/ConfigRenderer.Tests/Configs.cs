using DendriteAspire.ConfigRenderer.Mapping;
using DendriteAspire.ConfigRenderer.Model;
using DendriteAspire.ConfigRenderer.Settings;

namespace DendriteAspire.ConfigRenderer.Tests;

/// <summary>Known-good settings and configs that tests change one thing in.</summary>
internal static class Configs
{
    /// <summary>A fixed import token for golden renders (a real one is generated).</summary>
    public const string ImportToken = "import-token-0123456789abcdef0123456789abcdef";

    public const string PostgresUri = "postgres://dendrite:dendrite@postgres:5432/dendrite?sslmode=disable";

    public static DendriteSettings SqliteSettings() => new()
    {
        ServerName = "family.example",
        Registration = { SharedSecret = "a-long-random-secret" },
    };

    public static DendriteSettings PostgresSettings()
    {
        var settings = SqliteSettings();
        settings.Database.Provider = DatabaseProvider.Postgres;
        settings.Database.ConnectionString = PostgresUri;
        return settings;
    }

    /// <summary>Every feature switched on, so the render writes every key it can.</summary>
    public static DendriteSettings EverythingSettings()
    {
        var settings = PostgresSettings();
        settings.WellKnown.ServerName = "matrix.family.example:443";
        settings.WellKnown.ClientUrl = "https://matrix.family.example";
        settings.Federation.Enabled = true;
        settings.Presence.Enabled = true;
        settings.ReportStats = true;
        settings.Registration.Open = true; // with a captcha; tokens would be refused (Dendrite never checks them at /register)
        settings.Registration.GuestsEnabled = true;
        settings.Registration.Captcha = new CaptchaSettings
        {
            Enabled = true,
            PublicKey = "public",
            PrivateKey = "private",
            SiteVerifyApi = "https://hcaptcha.com/siteverify",
            ApiJsUrl = "https://js.hcaptcha.com/1/api.js",
            FormField = "h-captcha-response",
            SitekeyClass = "h-captcha",
        };
        settings.Accounts.AutoJoinRooms = ["#family:family.example"];
        settings.Logging.ToFile = true;
        settings.Metrics = new MetricsSettings { Enabled = true, Username = "metrics", Password = "secret" };
        settings.Turn = new TurnSettings { Uris = ["turn:turn.family.example?transport=udp"], SharedSecret = "turn", Username = "u", Password = "p" };
        settings.Import.Enabled = true;
        settings.Import.Token = ImportToken;
        return settings;
    }

    public static DendriteConfig SqliteConfig() => DendriteConfigMapper.Map(SqliteSettings());

    public static DendriteConfig PostgresConfig() => DendriteConfigMapper.Map(PostgresSettings());
}
