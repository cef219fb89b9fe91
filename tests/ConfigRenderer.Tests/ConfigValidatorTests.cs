using DendriteAspire.ConfigRenderer.Model;
using DendriteAspire.ConfigRenderer.Rendering;
using DendriteAspire.ConfigRenderer.Validation;

namespace DendriteAspire.ConfigRenderer.Tests;

/// <summary>One case per validation rule: break one thing in a valid config and expect an error at its exact key path.</summary>
public class ConfigValidatorTests
{
    private static readonly Dictionary<string, Action<DendriteConfig>> Breakages = new()
    {
        ["version wrong"] = c => c.Version = 1,
        ["version 1"] = c => c.Version = 1,
        ["server name missing"] = c => c.Global!.ServerName = "",
        ["server name with scheme"] = c => c.Global!.ServerName = "https://family.example",
        ["server name with space"] = c => c.Global!.ServerName = "family example",
        ["server name with bad port"] = c => c.Global!.ServerName = "family.example:99999",
        ["server name with text port"] = c => c.Global!.ServerName = "family.example:http",
        ["server name with path"] = c => c.Global!.ServerName = "family.example/matrix",
        ["private key missing"] = c => c.Global!.PrivateKey = null,
        ["key validity bare number"] = c => c.Global!.KeyValidityPeriod = new GoDuration("3600"),
        ["well-known server with scheme"] = c => c.Global!.WellKnownServerName = "https://matrix.family.example",
        ["well-known server bad port"] = c => c.Global!.WellKnownServerName = "matrix.family.example:0",
        ["well-known client without scheme"] = c => c.Global!.WellKnownClientName = "matrix.family.example",
        ["cache size with space"] = c => c.Global!.Cache!.MaxSizeEstimated = new DataUnit("1 gb"),
        ["cache size with GiB"] = c => c.Global!.Cache!.MaxSizeEstimated = new DataUnit("1GiB"),
        ["cache size negative"] = c => c.Global!.Cache!.MaxSizeEstimated = new DataUnit("-1gb"),
        ["cache age not a duration"] = c => c.Global!.Cache!.MaxAge = new GoDuration("an hour"),
        ["jetstream path empty"] = c => c.Global!.JetStream!.StoragePath = "",
        ["jetstream path missing"] = c => c.Global!.JetStream = null,
        ["dns cache size negative"] = c => c.Global!.DnsCache = new DnsCacheOptions { CacheSize = -1 },
        ["dns cache lifetime negative"] = c => c.Global!.DnsCache = new DnsCacheOptions { CacheLifetime = new GoDuration("-5m") },
        ["report stats without endpoint"] = c => c.Global!.ReportStats = new ReportStatsOptions { Enabled = true, Endpoint = "" },
        ["old key with nothing"] = c => c.Global!.OldPrivateKeys = [new OldPrivateKey { ExpiredAt = 1 }],
        ["old key public without id"] = c => c.Global!.OldPrivateKeys = [new OldPrivateKey { PublicKey = "Noi6WqcDj0QmPxCNQqgezwTlBKrfqehY1u2FyWP9uYw" }],
        ["old key id without public"] = c => c.Global!.OldPrivateKeys = [new OldPrivateKey { KeyId = "ed25519:old" }],
        ["old key padded public"] = c => c.Global!.OldPrivateKeys = [new OldPrivateKey { KeyId = "ed25519:old", PublicKey = "mn59Kxfdq9VziYHSBzI7+EDPDcBS2Xl7jeUdiiQcOnM=" }],
        ["old key short public"] = c => c.Global!.OldPrivateKeys = [new OldPrivateKey { KeyId = "ed25519:old", PublicKey = "AAAA" }],
        ["sqlite string in global db"] = c => c.Global!.Database = new DatabaseOptions { ConnectionString = "file:/var/sqlite/dendrite/all.db" },
        ["postgres not a uri"] = c => c.Global!.Database = new DatabaseOptions { ConnectionString = "host=db user=dendrite" },
        ["postgres pool too big"] = c => c.Global!.Database = new DatabaseOptions { ConnectionString = Configs.PostgresUri, MaxOpenConns = 97 },
        ["postgres idle negative"] = c => c.Global!.Database = new DatabaseOptions { ConnectionString = Configs.PostgresUri, MaxIdleConns = -1 },
        ["sqlite file missing"] = c => c.RoomServer!.Database = null,
        ["sqlite account db missing"] = c => c.UserApi!.AccountDatabase!.ConnectionString = "",
        ["sqlite file shared"] = c => c.MediaApi!.Database!.ConnectionString = "file:///var/sqlite/dendrite/federationapi.db",
        ["component db not a uri"] = c => c.Mscs!.Database!.ConnectionString = "mscs.db",
        ["open registration without captcha"] = c => c.ClientApi!.RegistrationDisabled = false,
        ["captcha without public key"] = c => { c.ClientApi!.EnableRegistrationCaptcha = true; c.ClientApi.RecaptchaPrivateKey = "p"; },
        ["captcha without private key"] = c => { c.ClientApi!.EnableRegistrationCaptcha = true; c.ClientApi.RecaptchaPublicKey = "p"; },
        ["captcha siteverify not a url"] = c => { c.ClientApi!.EnableRegistrationCaptcha = true; c.ClientApi.RecaptchaPublicKey = "p"; c.ClientApi.RecaptchaPrivateKey = "p"; c.ClientApi.RecaptchaSiteverifyApi = "hcaptcha.com"; },
        ["turn lifetime not a duration"] = c => c.ClientApi!.Turn = new TurnOptions { TurnUserLifetime = "5 minutes" },
        ["rate limit threshold negative"] = c => c.ClientApi!.RateLimiting!.Threshold = -1,
        ["rate limit cooloff negative"] = c => c.ClientApi!.RateLimiting!.CooloffMs = -500,
        ["deny network not a cidr"] = c => c.FederationApi!.DenyNetworks = ["10.0.0.0/8", "intranet"],
        ["perspective without server"] = c => c.FederationApi!.KeyPerspectives = [new KeyPerspective { Keys = [] }],
        ["perspective key id without ed25519"] = c => c.FederationApi!.KeyPerspectives = [new KeyPerspective { ServerName = "matrix.org", Keys = [new PerspectiveKey { KeyId = "auto" }] }],
        ["media path missing"] = c => c.MediaApi!.BasePath = null,
        ["media size negative"] = c => c.MediaApi!.MaxFileSizeBytes = -1,
        ["thumbnail generators negative"] = c => c.MediaApi!.MaxThumbnailGenerators = -1,
        ["thumbnail width negative"] = c => c.MediaApi!.ThumbnailSizes![1].Width = -96,
        ["thumbnail height negative"] = c => c.MediaApi!.ThumbnailSizes![2].Height = -1,
        ["thumbnail method unknown"] = c => c.MediaApi!.ThumbnailSizes![0].Method = "stretch",
        ["room version unknown"] = c => c.RoomServer!.DefaultRoomVersion = "13",
        ["search index path empty"] = c => c.SyncApi!.Search!.IndexPath = "",
        ["search language unknown"] = c => c.SyncApi!.Search!.Language = "english",
        ["bcrypt cost too low"] = c => c.UserApi!.BcryptCost = 3,
        ["bcrypt cost too high"] = c => c.UserApi!.BcryptCost = 32,
        ["openid lifetime negative"] = c => c.UserApi!.OpenIdTokenLifetimeMs = -1,
        ["logging type missing"] = c => c.Logging![0].Type = "",
        ["logging type unknown"] = c => c.Logging![0].Type = "journald",
        ["logging level missing"] = c => c.Logging![0].Level = null,
        ["logging level unknown"] = c => c.Logging![0].Level = "verbose",
        ["file logging without path"] = c => c.Logging!.Add(new LoggingHook { Type = "file", Level = "info" }),
        ["syslog without address"] = c => c.Logging!.Add(new LoggingHook { Type = "syslog", Level = "info", Params = new() { ["protocol"] = "udp" } }),
    };

    [Theory]
    [InlineData("version wrong", "version")]
    [InlineData("version 1", "version")]
    [InlineData("server name missing", "global.server_name")]
    [InlineData("server name with scheme", "global.server_name")]
    [InlineData("server name with space", "global.server_name")]
    [InlineData("server name with bad port", "global.server_name")]
    [InlineData("server name with text port", "global.server_name")]
    [InlineData("server name with path", "global.server_name")]
    [InlineData("private key missing", "global.private_key")]
    [InlineData("key validity bare number", "global.key_validity_period")]
    [InlineData("well-known server with scheme", "global.well_known_server_name")]
    [InlineData("well-known server bad port", "global.well_known_server_name")]
    [InlineData("well-known client without scheme", "global.well_known_client_name")]
    [InlineData("cache size with space", "global.cache.max_size_estimated")]
    [InlineData("cache size with GiB", "global.cache.max_size_estimated")]
    [InlineData("cache size negative", "global.cache.max_size_estimated")]
    [InlineData("cache age not a duration", "global.cache.max_age")]
    [InlineData("jetstream path empty", "global.jetstream.storage_path")]
    [InlineData("jetstream path missing", "global.jetstream.storage_path")]
    [InlineData("dns cache size negative", "global.dns_cache.cache_size")]
    [InlineData("dns cache lifetime negative", "global.dns_cache.cache_lifetime")]
    [InlineData("report stats without endpoint", "global.report_stats.endpoint")]
    [InlineData("old key with nothing", "global.old_private_keys[0].key_id")]
    [InlineData("old key public without id", "global.old_private_keys[0].key_id")]
    [InlineData("old key id without public", "global.old_private_keys[0].public_key")]
    [InlineData("old key padded public", "global.old_private_keys[0].public_key")]
    [InlineData("old key short public", "global.old_private_keys[0].public_key")]
    [InlineData("sqlite string in global db", "global.database.connection_string")]
    [InlineData("postgres not a uri", "global.database.connection_string")]
    [InlineData("postgres pool too big", "global.database.max_open_conns")]
    [InlineData("postgres idle negative", "global.database.max_idle_conns")]
    [InlineData("sqlite file missing", "room_server.database.connection_string")]
    [InlineData("sqlite account db missing", "user_api.account_database.connection_string")]
    [InlineData("sqlite file shared", "media_api.database.connection_string")]
    [InlineData("component db not a uri", "mscs.database.connection_string")]
    [InlineData("open registration without captcha", "client_api.registration_disabled")]
    [InlineData("captcha without public key", "client_api.recaptcha_public_key")]
    [InlineData("captcha without private key", "client_api.recaptcha_private_key")]
    [InlineData("captcha siteverify not a url", "client_api.recaptcha_siteverify_api")]
    [InlineData("turn lifetime not a duration", "client_api.turn.turn_user_lifetime")]
    [InlineData("rate limit threshold negative", "client_api.rate_limiting.threshold")]
    [InlineData("rate limit cooloff negative", "client_api.rate_limiting.cooloff_ms")]
    [InlineData("deny network not a cidr", "federation_api.deny_networks[1]")]
    [InlineData("perspective without server", "federation_api.key_perspectives[0].server_name")]
    [InlineData("perspective key id without ed25519", "federation_api.key_perspectives[0].keys[0].key_id")]
    [InlineData("media path missing", "media_api.base_path")]
    [InlineData("media size negative", "media_api.max_file_size_bytes")]
    [InlineData("thumbnail generators negative", "media_api.max_thumbnail_generators")]
    [InlineData("thumbnail width negative", "media_api.thumbnail_sizes[1].width")]
    [InlineData("thumbnail height negative", "media_api.thumbnail_sizes[2].height")]
    [InlineData("thumbnail method unknown", "media_api.thumbnail_sizes[0].method")]
    [InlineData("room version unknown", "room_server.default_room_version")]
    [InlineData("search index path empty", "sync_api.search.index_path")]
    [InlineData("search language unknown", "sync_api.search.language")]
    [InlineData("bcrypt cost too low", "user_api.bcrypt_cost")]
    [InlineData("bcrypt cost too high", "user_api.bcrypt_cost")]
    [InlineData("openid lifetime negative", "user_api.openid_token_lifetime_ms")]
    [InlineData("logging type missing", "logging[0].type")]
    [InlineData("logging type unknown", "logging[0].type")]
    [InlineData("logging level missing", "logging[0].level")]
    [InlineData("logging level unknown", "logging[0].level")]
    [InlineData("file logging without path", "logging[1].params.path")]
    [InlineData("syslog without address", "logging[1].params.address")]
    public void Rule_ReportsAnErrorAtItsKeyPath(string breakage, string path)
    {
        var config = Configs.SqliteConfig();
        Breakages[breakage](config);

        var errors = DendriteConfigValidator.Validate(config).Where(f => f.Severity == FindingSeverity.Error).ToList();

        var error = Assert.Single(errors);
        Assert.Equal(path, error.Path);
        Assert.Matches("; |e\\.g\\.", error.Message); // every message says how to fix it
    }

    [Fact]
    public void MissingVersion_IsAWarningBecauseDendriteAssumesTwo()
    {
        var config = Configs.SqliteConfig();
        config.Version = null;

        var finding = Assert.Single(DendriteConfigValidator.Validate(config), f => f.Path == "version");

        Assert.Equal(FindingSeverity.Warning, finding.Severity);
    }

    [Fact]
    public void EveryBreakage_HasACase()
    {
        var cases = typeof(ConfigValidatorTests).GetMethod(nameof(Rule_ReportsAnErrorAtItsKeyPath))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>()
            .Select(a => (string)a.Data[0]!).ToHashSet();
        Assert.Equal(Breakages.Keys.Order(), cases.Order());
    }

    [Fact]
    public void DefaultSqliteAndPostgresConfigs_AreValid()
    {
        Assert.Empty(DendriteConfigValidator.Validate(Configs.SqliteConfig()));
        Assert.Empty(DendriteConfigValidator.Validate(Configs.PostgresConfig()));
    }

    [Theory]
    [InlineData("family.example")]
    [InlineData("family.example:8448")]
    [InlineData("localhost")]
    [InlineData("192.168.1.10:8008")]
    [InlineData("[::1]:8448")]
    public void ValidServerNames_Pass(string serverName)
    {
        var config = Configs.SqliteConfig();
        config.Global!.ServerName = serverName;
        config.Global.WellKnownServerName = serverName;

        Assert.Empty(DendriteConfigValidator.Validate(config));
    }

    [Fact]
    public void ServerNameWithScheme_SaysWhatToRemove()
    {
        var config = Configs.SqliteConfig();
        config.Global!.WellKnownServerName = "https://matrix.family.example";

        var finding = Assert.Single(DendriteConfigValidator.Validate(config));

        Assert.Equal("error: global.well_known_server_name: must be host[:port] without a scheme; remove \"https://\"", finding.ToString());
    }

    [Fact]
    public void RoomVersion12_IsAWarningAboutOlderImages()
    {
        var config = Configs.SqliteConfig();
        config.RoomServer!.DefaultRoomVersion = "12";

        var finding = Assert.Single(DendriteConfigValidator.Validate(config));

        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.Equal("room_server.default_room_version", finding.Path);
    }

    [Fact]
    public void OpenRegistrationWithCaptcha_IsValid()
    {
        var config = Configs.SqliteConfig();
        config.ClientApi!.RegistrationDisabled = false;
        config.ClientApi.EnableRegistrationCaptcha = true;
        config.ClientApi.RecaptchaPublicKey = "public";
        config.ClientApi.RecaptchaPrivateKey = "private";

        Assert.Empty(DendriteConfigValidator.Validate(config));
    }

    [Fact]
    public void RateLimitNegatives_AreIgnoredWhenRateLimitingIsOff()
    {
        var config = Configs.SqliteConfig();
        config.ClientApi!.RateLimiting = new RateLimitingOptions { Enabled = false, Threshold = -1 };

        Assert.Empty(DendriteConfigValidator.Validate(config));
    }
}
