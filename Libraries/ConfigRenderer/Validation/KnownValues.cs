namespace DendriteAspire.ConfigRenderer.Validation;

/// <summary>The closed sets of values Dendrite accepts, from its source (see shared/docs/dendrite.md).</summary>
public static class KnownValues
{
    /// <summary>Room versions gomatrixserverlib knows (1-12 and the experimental ids).</summary>
    public static readonly IReadOnlySet<string> RoomVersions = new HashSet<string>(StringComparer.Ordinal)
    {
        "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "org.matrix.msc4014", "org.matrix.hydra.11",
    };

    /// <summary>Room versions that only Dendrite v0.15.0 and later know.</summary>
    public static readonly IReadOnlySet<string> RoomVersionsSinceV0150 = new HashSet<string>(StringComparer.Ordinal)
    {
        "12", "org.matrix.hydra.11",
    };

    /// <summary>Bleve analyzers (internal/fulltext/bleve.go).</summary>
    public static readonly IReadOnlySet<string> SearchLanguages = new HashSet<string>(StringComparer.Ordinal)
    {
        "ar", "cjk", "ckb", "da", "de", "en", "es", "fa", "fi", "fr", "hi", "hr", "hu", "it", "nl", "no", "pt", "ro",
        "ru", "sv", "tr",
    };

    /// <summary>logrus levels.</summary>
    public static readonly IReadOnlySet<string> LogLevels = new HashSet<string>(StringComparer.Ordinal)
    {
        "panic", "fatal", "error", "warn", "warning", "info", "debug", "trace",
    };

    public static readonly IReadOnlySet<string> LoggingTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "std", "file", "syslog",
    };

    public static readonly IReadOnlySet<string> Mscs = new HashSet<string>(StringComparer.Ordinal)
    {
        "msc2836", "msc2444", "msc2753",
    };

    public static readonly IReadOnlySet<string> ThumbnailMethods = new HashSet<string>(StringComparer.Ordinal)
    {
        "crop", "scale",
    };

    public const int MinBcryptCost = 4;
    public const int MaxBcryptCost = 31;

    /// <summary>Postgres's default max_connections (100) minus superuser_reserved_connections (3).</summary>
    public const int PostgresConnectionLimit = 97;

    public static string Join(IEnumerable<string> values) => string.Join(", ", values);
}
