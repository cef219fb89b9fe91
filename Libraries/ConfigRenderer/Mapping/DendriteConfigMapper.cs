using DendriteAspire.ConfigRenderer.Layout;
using DendriteAspire.ConfigRenderer.Model;
using DendriteAspire.ConfigRenderer.Settings;

namespace DendriteAspire.ConfigRenderer.Mapping;

/// <summary>
/// Turns the admin's settings into a complete Dendrite config: the family defaults, the mount layout of
/// <see cref="DendritePaths"/>, and a database block per mode. Only keys that exist in Dendrite v0.13.8 are written,
/// so the config works on every image from v0.13.8 to v0.15.2.
/// </summary>
public static class DendriteConfigMapper
{
    public static DendriteConfig Map(DendriteSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var config = new DendriteConfig
        {
            Version = DendriteConfig.CurrentVersion,
            Global = Global(settings),
            ClientApi = ClientApi(settings),
            FederationApi = FederationApi(settings),
            MediaApi = new MediaApiConfig
            {
                BasePath = DendritePaths.Media,
                MaxFileSizeBytes = settings.Media.MaxFileSizeBytes,
                DynamicThumbnails = false,
                MaxThumbnailGenerators = FamilyDefaults.MaxThumbnailGenerators,
                ThumbnailSizes = FamilyDefaults.ThumbnailSizes(),
            },
            SyncApi = new SyncApiConfig
            {
                Search = new SearchOptions
                {
                    Enabled = settings.Search.Enabled,
                    IndexPath = DendritePaths.SearchIndex,
                    Language = settings.Search.Language,
                },
            },
            UserApi = new UserApiConfig
            {
                BcryptCost = settings.Accounts.BcryptCost,
                AutoJoinRooms = settings.Accounts.AutoJoinRooms.Count > 0 ? [.. settings.Accounts.AutoJoinRooms] : null,
            },
            Logging = Logging(settings.Logging),
        };

        if (settings.Database.Provider == DatabaseProvider.Sqlite)
        {
            SqliteDatabases.Apply(config);
        }

        return config;
    }

    private static GlobalConfig Global(DendriteSettings settings) => new()
    {
        ServerName = settings.ServerName,
        PrivateKey = DendritePaths.SigningKey,
        KeyValidityPeriod = new GoDuration(FamilyDefaults.KeyValidityPeriod),
        Database = settings.Database.Provider == DatabaseProvider.Postgres
            ? new DatabaseOptions
            {
                ConnectionString = settings.Database.ConnectionString,
                MaxOpenConns = settings.Database.MaxOpenConnections,
                MaxIdleConns = settings.Database.MaxIdleConnections,
                ConnMaxLifetime = settings.Database.ConnectionMaxLifetimeSeconds,
            }
            : null,
        Cache = new CacheOptions
        {
            MaxSizeEstimated = new DataUnit(settings.Cache.MaxSize),
            MaxAge = new GoDuration(settings.Cache.MaxAge),
        },
        WellKnownServerName = NullIfEmpty(settings.WellKnown.ServerName),
        WellKnownClientName = NullIfEmpty(settings.WellKnown.ClientUrl),
        DisableFederation = !settings.Federation.Enabled,
        Presence = new PresenceOptions { EnableInbound = settings.Presence.Enabled, EnableOutbound = settings.Presence.Enabled },
        ReportStats = new ReportStatsOptions
        {
            Enabled = settings.ReportStats,
            Endpoint = settings.ReportStats ? FamilyDefaults.ReportStatsEndpoint : null,
        },
        ServerNotices = new ServerNoticesOptions { Enabled = false },
        JetStream = new JetStreamOptions
        {
            DisableTlsValidation = false,
            StoragePath = DendritePaths.JetStream,
            TopicPrefix = FamilyDefaults.TopicPrefix,
        },
        Metrics = new MetricsOptions
        {
            Enabled = settings.Metrics.Enabled,
            BasicAuth = settings.Metrics.Enabled && (settings.Metrics.Username is not null || settings.Metrics.Password is not null)
                ? new BasicAuth { Username = settings.Metrics.Username ?? "", Password = settings.Metrics.Password ?? "" }
                : null,
        },
        DnsCache = new DnsCacheOptions { Enabled = false },
    };

    private static ClientApiConfig ClientApi(DendriteSettings settings)
    {
        var registration = settings.Registration;
        var captcha = registration.Captcha;
        return new ClientApiConfig
        {
            RegistrationDisabled = !registration.Open,
            RegistrationRequiresToken = registration.RequiresToken ? true : null,
            GuestsDisabled = !registration.GuestsEnabled,
            RegistrationSharedSecret = NullIfEmpty(registration.SharedSecret),
            EnableRegistrationCaptcha = captcha.Enabled,
            RecaptchaPublicKey = captcha.Enabled ? captcha.PublicKey : null,
            RecaptchaPrivateKey = captcha.Enabled ? captcha.PrivateKey : null,
            RecaptchaSiteverifyApi = captcha.Enabled ? NullIfEmpty(captcha.SiteVerifyApi) : null,
            RecaptchaApiJsUrl = captcha.Enabled ? NullIfEmpty(captcha.ApiJsUrl) : null,
            RecaptchaFormField = captcha.Enabled ? NullIfEmpty(captcha.FormField) : null,
            RecaptchaSitekeyClass = captcha.Enabled ? NullIfEmpty(captcha.SitekeyClass) : null,
            Turn = settings.Turn.Uris.Count > 0
                ? new TurnOptions
                {
                    TurnUserLifetime = settings.Turn.UserLifetime,
                    TurnUris = [.. settings.Turn.Uris],
                    TurnSharedSecret = NullIfEmpty(settings.Turn.SharedSecret),
                    TurnUsername = NullIfEmpty(settings.Turn.Username),
                    TurnPassword = NullIfEmpty(settings.Turn.Password),
                }
                : null,
            RateLimiting = new RateLimitingOptions
            {
                Enabled = settings.RateLimiting.Enabled,
                Threshold = settings.RateLimiting.Threshold,
                CooloffMs = settings.RateLimiting.CooloffMs,
            },
        };
    }

    private static FederationApiConfig FederationApi(DendriteSettings settings) => new()
    {
        DisableTlsValidation = false,
        KeyPerspectives = settings.Federation.Enabled && settings.Federation.UseMatrixOrgNotary
            ? [FamilyDefaults.MatrixOrgNotary()]
            : null,
        PreferDirectFetch = false,
    };

    private static List<LoggingHook> Logging(LoggingSettings logging)
    {
        var hooks = new List<LoggingHook> { new() { Type = "std", Level = logging.Level } };
        if (logging.ToFile)
        {
            hooks.Add(new LoggingHook
            {
                Type = "file",
                Level = logging.Level,
                Params = new Dictionary<string, object?>(StringComparer.Ordinal) { ["path"] = DendritePaths.Logs },
            });
        }

        return hooks;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
