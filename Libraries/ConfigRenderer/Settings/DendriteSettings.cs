namespace DendriteAspire.ConfigRenderer.Settings;

/// <summary>
/// The few choices a family admin makes. Bound from .NET configuration: the <c>Dendrite</c> section of the
/// AppHost, or the root of a settings file given to the CLI. Every default is the origin deployment's family choice.
/// </summary>
public sealed class DendriteSettings
{
    /// <summary>
    /// The domain in users' IDs (<c>@alice:family.example</c>): host[:port], no scheme. Required, with no default:
    /// it is baked into every user, room and event, so it can never change later and is never guessed.
    /// </summary>
    public string ServerName { get; set; } = "";
    public DatabaseSettings Database { get; set; } = new();
    public RegistrationSettings Registration { get; set; } = new();
    public WellKnownSettings WellKnown { get; set; } = new();
    public FederationSettings Federation { get; set; } = new();
    public MediaSettings Media { get; set; } = new();
    public SearchSettings Search { get; set; } = new();
    public PresenceSettings Presence { get; set; } = new();
    public RateLimitingSettings RateLimiting { get; set; } = new();
    public AccountsSettings Accounts { get; set; } = new();
    public CacheSettings Cache { get; set; } = new();
    public LoggingSettings Logging { get; set; } = new();
    public MetricsSettings Metrics { get; set; } = new();
    public TurnSettings Turn { get; set; } = new();

    /// <summary>Phone-home usage statistics to matrix.org. Off for a family server.</summary>
    public bool ReportStats { get; set; }

    /// <summary>
    /// Escape hatch: raw Dendrite config keys (dotted paths such as <c>client_api.rate_limiting.threshold</c>) and
    /// their YAML scalar values, applied after the mapping and validated with the rest.
    /// </summary>
    public Dictionary<string, string> Overrides { get; set; } = new(StringComparer.Ordinal);
}

public enum DatabaseProvider { Sqlite, Postgres }

public sealed class DatabaseSettings
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Postgres only: a <c>postgres://</c> or <c>postgresql://</c> URI. SQLite files are laid out for you.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Postgres pool size; must stay below Postgres's max_connections minus the reserved ones (97 by default).</summary>
    public int MaxOpenConnections { get; set; } = 50;
    public int MaxIdleConnections { get; set; } = 5;

    /// <summary>Seconds a pooled connection lives; -1 keeps it forever.</summary>
    public int ConnectionMaxLifetimeSeconds { get; set; } = -1;
}

public sealed class RegistrationSettings
{
    /// <summary>Lets an admin create accounts (create-account, /_synapse/admin/v1/register) while registration is closed.</summary>
    public string? SharedSecret { get; set; }

    /// <summary>Lets anyone register. Needs <see cref="Captcha"/>: Dendrite refuses open registration without it.</summary>
    public bool Open { get; set; }

    /// <summary>
    /// Writes <c>registration_requires_token</c>. Dendrite v0.13.8 to v0.15.2 never checks tokens at /register, so
    /// together with <see cref="Open"/> it is refused: it would leave registration open to anyone.
    /// </summary>
    public bool RequiresToken { get; set; }

    public bool GuestsEnabled { get; set; }
    public CaptchaSettings Captcha { get; set; } = new();
}

/// <summary>reCAPTCHA, or a compatible service such as hCaptcha (set the URLs and field names).</summary>
public sealed class CaptchaSettings
{
    public bool Enabled { get; set; }
    public string? PublicKey { get; set; }
    public string? PrivateKey { get; set; }
    public string? SiteVerifyApi { get; set; }
    public string? ApiJsUrl { get; set; }
    public string? FormField { get; set; }
    public string? SitekeyClass { get; set; }
}

public sealed class WellKnownSettings
{
    /// <summary>Where other servers reach this one: host[:port], no scheme (served as m.server).</summary>
    public string? ServerName { get; set; }

    /// <summary>Where clients reach this server: an http(s) URL (served as m.homeserver.base_url).</summary>
    public string? ClientUrl { get; set; }
}

public sealed class FederationSettings
{
    public bool Enabled { get; set; }

    /// <summary>With federation on, ask matrix.org for keys of servers that are offline.</summary>
    public bool UseMatrixOrgNotary { get; set; } = true;
}

public sealed class MediaSettings
{
    /// <summary>Largest upload in bytes; 0 means unlimited.</summary>
    public long MaxFileSizeBytes { get; set; } = 10 * 1024 * 1024;
}

public sealed class SearchSettings
{
    public bool Enabled { get; set; } = true;

    /// <summary>Bleve analyzer: en, de, fr, ...</summary>
    public string Language { get; set; } = "en";
}

public sealed class PresenceSettings
{
    /// <summary>Online/offline status, sent and received.</summary>
    public bool Enabled { get; set; }
}

public sealed class RateLimitingSettings
{
    public bool Enabled { get; set; } = true;
    public long Threshold { get; set; } = 20;
    public long CooloffMs { get; set; } = 500;
}

public sealed class AccountsSettings
{
    public int BcryptCost { get; set; } = 10;

    /// <summary>Rooms every new account joins, e.g. #family:family.example.</summary>
    public List<string> AutoJoinRooms { get; set; } = [];
}

public sealed class CacheSettings
{
    /// <summary>A Dendrite size: 1gb, 512mb.</summary>
    public string MaxSize { get; set; } = "1gb";

    /// <summary>A Go duration: 1h, 30m.</summary>
    public string MaxAge { get; set; } = "1h";
}

public sealed class LoggingSettings
{
    public string Level { get; set; } = "info";

    /// <summary>Also write daily-rotated logs under the logs volume.</summary>
    public bool ToFile { get; set; }
}

public sealed class MetricsSettings
{
    public bool Enabled { get; set; }
    public string? Username { get; set; }
    public string? Password { get; set; }
}

public sealed class TurnSettings
{
    public List<string> Uris { get; set; } = [];
    public string? SharedSecret { get; set; }
    public string? Username { get; set; }
    public string? Password { get; set; }

    /// <summary>A Go duration: how long TURN credentials handed to clients last.</summary>
    public string UserLifetime { get; set; } = "5m";
}
