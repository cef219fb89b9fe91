namespace DendriteAspire.Backup;

/// <summary>
/// A backup, verify or restore that must not go on: a damaged, truncated or tampered archive, a wrong passphrase, an
/// archive from a newer Dendrite, a target that is not empty. The message is the reason, for the user; nothing was
/// changed. The CLIs exit 2 on it.
/// </summary>
public sealed class BackupRefusedException : Exception
{
    /// <summary>An unspecified refusal.</summary>
    public BackupRefusedException()
    {
    }

    /// <summary>A refusal with its reason.</summary>
    public BackupRefusedException(string message) : base(message)
    {
    }

    /// <summary>A refusal with its reason and cause.</summary>
    public BackupRefusedException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
