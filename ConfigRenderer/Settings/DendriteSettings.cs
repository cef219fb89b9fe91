namespace DendriteAspire.ConfigRenderer.Settings;

/// <summary>
/// The few choices a family admin makes. Bound from .NET configuration: the <c>Dendrite</c> section of the
/// AppHost, or the root of a settings file given to the CLI.
/// </summary>
public sealed class DendriteSettings
{
    public string ServerName { get; set; } = "localhost";
    public DatabaseSettings Database { get; set; } = new();
    public RegistrationSettings Registration { get; set; } = new();
    public WellKnownSettings WellKnown { get; set; } = new();
    public FederationSettings Federation { get; set; } = new();
    public MediaSettings Media { get; set; } = new();
}

public enum DatabaseProvider { Sqlite, Postgres }

public sealed class DatabaseSettings
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;
    public string? ConnectionString { get; set; }
}

public sealed class RegistrationSettings
{
    public string? SharedSecret { get; set; }
}

public sealed class WellKnownSettings
{
    public string? ServerName { get; set; }
    public string? ClientUrl { get; set; }
}

public sealed class FederationSettings
{
    public bool Enabled { get; set; }
}

public sealed class MediaSettings
{
    public long MaxFileSizeBytes { get; set; } = 10 * 1024 * 1024;
}
