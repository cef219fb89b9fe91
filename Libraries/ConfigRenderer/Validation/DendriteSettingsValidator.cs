using DendriteAspire.ConfigRenderer.Model;
using DendriteAspire.ConfigRenderer.Rendering;
using DendriteAspire.ConfigRenderer.Settings;

namespace DendriteAspire.ConfigRenderer.Validation;

/// <summary>
/// Checks settings before they are mapped, so a mistake is reported in the user's own words: the settings key path
/// (<c>Dendrite:WellKnown:ServerName</c>), not the Dendrite config key it would end up in.
/// </summary>
public static class DendriteSettingsValidator
{
    public static IReadOnlyList<ConfigFinding> Validate(DendriteSettings settings, string keyPrefix = "")
    {
        ArgumentNullException.ThrowIfNull(settings);
        var findings = new Findings(keyPrefix.Length == 0 || keyPrefix.EndsWith(':') ? keyPrefix : keyPrefix + ":");

        if (string.IsNullOrWhiteSpace(settings.ServerName))
        {
            findings.Error("ServerName", "is required; set it to the domain in your user IDs, such as family.example (it can never change later, so it is never guessed)");
        }
        else if (HostAndPort.Problem(settings.ServerName, "family.example") is { } serverNameProblem)
        {
            findings.Error("ServerName", serverNameProblem);
        }

        else if (settings.Federation.Enabled && IsLocalOnly(settings.ServerName))
        {
            findings.Warning("Federation:Enabled", $"is true but ServerName \"{settings.ServerName}\" cannot be reached by other servers; set ServerName to your public domain, or turn federation off");
        }

        CheckDatabase(settings.Database, findings);
        CheckRegistration(settings.Registration, findings);
        if (!settings.Registration.Open && string.IsNullOrEmpty(settings.Registration.SharedSecret))
        {
            findings.Warning("Registration:SharedSecret", "is empty while registration is closed, so there is no way to create users; set a long random secret and create accounts with it (" + AccountCreation.Tools + ")");
        }

        if (!string.IsNullOrEmpty(settings.WellKnown.ServerName) &&
            HostAndPort.Problem(settings.WellKnown.ServerName, "matrix.family.example:443") is { } wellKnownProblem)
        {
            findings.Error("WellKnown:ServerName", wellKnownProblem);
        }

        if (!string.IsNullOrEmpty(settings.WellKnown.ClientUrl) && !GlobalRules.IsHttpUrl(settings.WellKnown.ClientUrl))
        {
            findings.Error("WellKnown:ClientUrl", "must be an http:// or https:// URL, e.g. https://matrix.family.example; add the scheme");
        }

        if (settings.Media.MaxFileSizeBytes < 0)
        {
            findings.Error("Media:MaxFileSizeBytes", "must not be negative; use a number of bytes such as 10485760 (10 MiB), or 0 for unlimited");
        }

        if (settings.Search.Enabled && !KnownValues.SearchLanguages.Contains(settings.Search.Language))
        {
            findings.Error("Search:Language", $"\"{settings.Search.Language}\" is not a search language; use one of {KnownValues.Join(KnownValues.SearchLanguages)}");
        }

        if (settings.RateLimiting.Enabled)
        {
            if (settings.RateLimiting.Threshold < 0)
            {
                findings.Error("RateLimiting:Threshold", "must not be negative; use e.g. 20");
            }

            if (settings.RateLimiting.CooloffMs < 0)
            {
                findings.Error("RateLimiting:CooloffMs", "must not be negative; use e.g. 500");
            }
        }

        if (settings.Accounts.BcryptCost is < KnownValues.MinBcryptCost or > KnownValues.MaxBcryptCost)
        {
            findings.Error("Accounts:BcryptCost", $"is {settings.Accounts.BcryptCost}; use {KnownValues.MinBcryptCost} to {KnownValues.MaxBcryptCost} (10 is the default)");
        }

        if (!new DataUnit(settings.Cache.MaxSize).TryGetBytes(out var cacheBytes) || cacheBytes < 0)
        {
            findings.Error("Cache:MaxSize", $"\"{settings.Cache.MaxSize}\" is not a size; write a number with an optional tb, gb, mb or kb suffix and no space, e.g. 1gb or 512mb");
        }

        CheckDuration(settings.Cache.MaxAge, "Cache:MaxAge", "1h", findings);
        CheckTurnLifetime(settings.Turn, findings);

        if (!KnownValues.LogLevels.Contains(settings.Logging.Level))
        {
            findings.Error("Logging:Level", $"\"{settings.Logging.Level}\" is not a log level; use one of {KnownValues.Join(KnownValues.LogLevels)}");
        }

        if (settings.Metrics.Enabled && (string.IsNullOrEmpty(settings.Metrics.Username) || string.IsNullOrEmpty(settings.Metrics.Password)))
        {
            findings.Warning("Metrics:Password", "metrics are enabled without a username and password, so /metrics is open to anyone who can reach the server; set Metrics:Username and Metrics:Password");
        }

        return findings.Items;
    }

    private static void CheckDatabase(DatabaseSettings database, Findings findings)
    {
        if (database.Provider == DatabaseProvider.Postgres)
        {
            if (string.IsNullOrWhiteSpace(database.ConnectionString))
            {
                findings.Error("Database:ConnectionString", "is missing while Provider is Postgres; set a postgres:// URI, e.g. postgres://dendrite:password@db/dendrite?sslmode=disable");
            }
            else if (!DatabaseRules.IsPostgresUri(database.ConnectionString))
            {
                var hint = DatabaseRules.IsSqlite(database.ConnectionString)
                    ? "a SQLite file: string; set Provider to Sqlite and remove ConnectionString"
                    : "not a URI; Dendrite only supports the postgres:// or postgresql:// URI form, e.g. postgres://dendrite:password@db/dendrite?sslmode=disable";
                findings.Error("Database:ConnectionString", $"is {hint}");
            }

            if (database.MaxOpenConnections is < 1 or >= KnownValues.PostgresConnectionLimit)
            {
                findings.Error("Database:MaxOpenConnections", $"is {database.MaxOpenConnections}; use 1 to {KnownValues.PostgresConnectionLimit - 1} (a default Postgres allows 100 connections minus 3 reserved), e.g. 50");
            }

            if (database.MaxIdleConnections < 0 || database.MaxIdleConnections > database.MaxOpenConnections)
            {
                findings.Error("Database:MaxIdleConnections", $"is {database.MaxIdleConnections}; use 0 to MaxOpenConnections ({database.MaxOpenConnections}), e.g. 5");
            }
        }
        else if (!string.IsNullOrWhiteSpace(database.ConnectionString))
        {
            findings.Error("Database:ConnectionString", "is set while Provider is Sqlite, which lays out its own files under /var/sqlite/dendrite; remove ConnectionString, or set Provider to Postgres");
        }
    }

    private static void CheckRegistration(RegistrationSettings registration, Findings findings)
    {
        if (registration.Open && !registration.Captcha.Enabled)
        {
            findings.Error("Registration:Open", "is true without a captcha, so anyone can register and spam from your server (Dendrite refuses to start this way, registration tokens or not); set Registration:Captcha:Enabled with its keys, or keep Open false and create accounts with the SharedSecret");
        }

        if (registration.Open && registration.RequiresToken)
        {
            findings.Error("Registration:RequiresToken", "is true while Registration:Open is true, but " + ClientApiRules.TokensNotEnforced);
        }

        if (registration.Captcha.Enabled)
        {
            if (string.IsNullOrWhiteSpace(registration.Captcha.PublicKey))
            {
                findings.Error("Registration:Captcha:PublicKey", "is missing while the captcha is enabled; add the site key from your captcha provider");
            }

            if (string.IsNullOrWhiteSpace(registration.Captcha.PrivateKey))
            {
                findings.Error("Registration:Captcha:PrivateKey", "is missing while the captcha is enabled; add the secret key from your captcha provider");
            }

            if (!string.IsNullOrEmpty(registration.Captcha.SiteVerifyApi) && !GlobalRules.IsHttpUrl(registration.Captcha.SiteVerifyApi))
            {
                findings.Error("Registration:Captcha:SiteVerifyApi", "must be an https:// URL; leave it out to use Google's reCAPTCHA");
            }
        }
    }

    private static bool IsLocalOnly(string serverName)
    {
        var host = serverName.Split(':')[0];
        return host is "localhost" or "127.0.0.1" || host.EndsWith(".local", StringComparison.OrdinalIgnoreCase) ||
               host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Dendrite keeps the TURN lifetime as text: empty means unset, anything else must parse as a Go duration.</summary>
    private static void CheckTurnLifetime(TurnSettings turn, Findings findings)
    {
        if (string.IsNullOrEmpty(turn.UserLifetime))
        {
            if (turn.Uris.Count > 0)
            {
                findings.Warning("Turn:UserLifetime", "is empty while Turn:Uris are set, so Dendrite hands clients no TURN server at all; set it to e.g. 5m");
            }
        }
        else if (!new GoDuration(turn.UserLifetime).TryGetTimeSpan(out var lifetime))
        {
            findings.Error("Turn:UserLifetime", $"\"{turn.UserLifetime}\" is not a Go duration and Dendrite refuses to start; write e.g. 5m (units ns, us, ms, s, m, h)");
        }
        else if (lifetime < TimeSpan.Zero)
        {
            findings.Error("Turn:UserLifetime", "must not be negative; use e.g. 5m");
        }
    }

    private static void CheckDuration(string text, string path, string example, Findings findings) =>
        GlobalRules.CheckDuration(new GoDuration(text), path, example, findings);
}
