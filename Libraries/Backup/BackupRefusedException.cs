namespace DendriteAspire.Backup;

/// <summary>
/// A backup, verify or restore that must not go on: a damaged, truncated or tampered archive, a wrong passphrase, an
/// archive from a newer Dendrite, a target that is not empty. The message is the reason, for the user; nothing was
/// changed. The CLIs exit 2 on it.
/// </summary>
public sealed class BackupRefusedException : Exception
{
    public BackupRefusedException()
    {
    }

    public BackupRefusedException(string message) : base(message)
    {
    }

    public BackupRefusedException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
