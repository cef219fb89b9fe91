using Microsoft.Extensions.Logging;

namespace DendriteAspire.Hosting;

/// <summary>What backups write to <c>dendrite</c>'s console log in the dashboard. Never a secret.</summary>
internal static partial class BackupLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Backup: {Step}")]
    public static partial void Step(ILogger logger, string step);

    [LoggerMessage(Level = LogLevel.Information, Message = "Backup written and verified: {Path} ({Bytes} bytes; it holds {Holds}; keep it private)")]
    public static partial void Written(ILogger logger, string path, long bytes, string holds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Backup: removed {Path} (Dendrite:Backup:Keep is {Keep})")]
    public static partial void Removed(ILogger logger, string path, int keep);

    [LoggerMessage(Level = LogLevel.Information, Message = "Backup: the next scheduled backup is at {Due} (Dendrite:Backup:Every {Every})")]
    public static partial void NextDue(ILogger logger, DateTimeOffset due, TimeSpan every);

    [LoggerMessage(Level = LogLevel.Error, Message = "Backup: the scheduled backup failed, nothing was removed: {Reason}")]
    public static partial void ScheduledFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Backup: {Reason}")]
    public static partial void Failed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upgrading Dendrite from {Old} to {New}: it migrates the schema with no way back, so a backup is taken first")]
    public static partial void Upgrading(ILogger logger, string old, string @new);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The backup before upgrading from {Old} is {Path}; restore it to go back to {Old}")]
    public static partial void UpgradeBackup(ILogger logger, string old, string path);
}
