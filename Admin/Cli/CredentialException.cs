namespace DendriteAspire.Admin.Cli;

/// <summary>A credential is missing or unreadable; the message says which option or variable supplies it.</summary>
internal sealed class CredentialException(string message) : Exception(message);
