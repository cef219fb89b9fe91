using System.Diagnostics.Metrics;

namespace DendriteAspire.Backup.Runtime;

/// <summary>
/// When the last backup succeeded and how big it was, on the meter <see cref="MeterName"/> (gauges
/// <c>backup.last_success.time</c>, Unix seconds, and <c>backup.last_success.size</c>, bytes), for whatever exports
/// the process's meters. Whoever takes a backup calls <see cref="Record"/> once it is verified.
/// </summary>
public static class BackupMetrics
{
    /// <summary>The meter's name (ServiceDefaults exports every <c>DendriteAspire.*</c> meter).</summary>
    public const string MeterName = "DendriteAspire.Backup";

    private static readonly Meter Meter = new(MeterName);
    private static long _lastSuccessUnixSeconds = -1;
    private static long _lastSizeBytes = -1;

    static BackupMetrics()
    {
        Meter.CreateObservableGauge("backup.last_success.time", () => Observe(ref _lastSuccessUnixSeconds), "s", "When the last backup succeeded (Unix time)");
        Meter.CreateObservableGauge("backup.last_success.size", () => Observe(ref _lastSizeBytes), "By", "Size of the last successful backup");
    }

    /// <summary>The last success recorded in this process, or null.</summary>
    public static (DateTimeOffset At, long SizeBytes)? Last =>
        Interlocked.Read(ref _lastSuccessUnixSeconds) is var at and >= 0 ? (DateTimeOffset.FromUnixTimeSeconds(at), Interlocked.Read(ref _lastSizeBytes)) : null;

    /// <summary>Records a verified backup.</summary>
    public static void Record(DateTimeOffset at, long sizeBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sizeBytes);
        Interlocked.Exchange(ref _lastSizeBytes, sizeBytes);
        Interlocked.Exchange(ref _lastSuccessUnixSeconds, at.ToUnixTimeSeconds());
    }

    private static IEnumerable<Measurement<long>> Observe(ref long value)
    {
        var current = Interlocked.Read(ref value);
        return current < 0 ? [] : [new Measurement<long>(current)];
    }
}
