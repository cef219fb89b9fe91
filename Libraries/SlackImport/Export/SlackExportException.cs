namespace DendriteAspire.SlackImport.Export;

/// <summary>
/// The export cannot be imported as it is: not a ZIP, a truncated ZIP, a missing <c>users.json</c>, a message by a
/// user the export does not list, a mapping to an invalid name. Raised while reading and planning, before anything
/// is written to the server. The message names the file and the entry, and the fix.
/// </summary>
public sealed class SlackExportException : Exception
{
    public SlackExportException(string message) : base(message) { }

    public SlackExportException(string message, Exception innerException) : base(message, innerException) { }

    public SlackExportException() { }
}
