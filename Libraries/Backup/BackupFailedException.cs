namespace DendriteAspire.Backup;

/// <summary>
/// The container runtime or a tool inside a container failed while taking or writing a backup: what failed, and the
/// last lines it printed. No partial archive is left behind.
/// </summary>
public sealed class BackupFailedException : Exception
{
    /// <summary>An unspecified failure.</summary>
    public BackupFailedException()
    {
    }

    /// <summary>A failure, described for the user.</summary>
    public BackupFailedException(string message) : base(message)
    {
    }

    /// <summary>A failure, described for the user, with its cause.</summary>
    public BackupFailedException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
