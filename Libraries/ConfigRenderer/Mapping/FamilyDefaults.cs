using DendriteAspire.ConfigRenderer.Model;

namespace DendriteAspire.ConfigRenderer.Mapping;

/// <summary>
/// The origin deployment's choices for a small family server, where they differ from (or pin) Dendrite's runtime
/// defaults. <see cref="Settings.DendriteSettings"/> starts from the same values.
/// </summary>
public static class FamilyDefaults
{
    public const long RateLimitThreshold = 20;
    public const long RateLimitCooloffMs = 500;
    public const long MaxFileSizeBytes = 10 * 1024 * 1024;
    public const int MaxThumbnailGenerators = 10;
    public const int BcryptCost = 10;
    public const string CacheMaxSize = "1gb";
    public const string CacheMaxAge = "1h";
    public const string KeyValidityPeriod = "168h";
    public const string LogLevel = "info";
    public const string TopicPrefix = "Dendrite";
    public const int PostgresMaxOpenConnections = 50;
    public const int PostgresMaxIdleConnections = 5;
    public const int PostgresConnectionMaxLifetime = -1;
    public const string ReportStatsEndpoint = "https://panopticon.matrix.org/push";

    public static List<ThumbnailSize> ThumbnailSizes() =>
    [
        new() { Width = 32, Height = 32, Method = ThumbnailSize.Crop },
        new() { Width = 96, Height = 96, Method = ThumbnailSize.Crop },
        new() { Width = 640, Height = 480, Method = ThumbnailSize.Scale },
    ];

    /// <summary>matrix.org's notary keys, as in Dendrite's sample config.</summary>
    public static KeyPerspective MatrixOrgNotary() => new()
    {
        ServerName = "matrix.org",
        Keys =
        [
            new() { KeyId = "ed25519:auto", PublicKey = "Noi6WqcDj0QmPxCNQqgezwTlBKrfqehY1u2FyWP9uYw" },
            new() { KeyId = "ed25519:a_RXGa", PublicKey = "l8Hft5qXKn1vfHrg3p4+W8gELQVo8N13JkluMfmn2sQ" },
        ],
    };
}
