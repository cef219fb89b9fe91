using System.Diagnostics.Metrics;
using DendriteAspire.Backup.Runtime;

namespace DendriteAspire.Backup.Tests;

/// <summary>The last successful backup's time and size, as gauges on the <c>DendriteAspire.Backup</c> meter.</summary>
public class BackupMetricsTests
{
    [Fact]
    public void A_recorded_backup_shows_in_both_gauges()
    {
        var at = new DateTimeOffset(2026, 12, 5, 3, 0, 0, TimeSpan.Zero);
        BackupMetrics.Record(at, 123_456_789);

        var seen = new Dictionary<string, long>(StringComparer.Ordinal);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == BackupMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => seen[instrument.Name] = value);
        listener.Start();
        listener.RecordObservableInstruments();

        Assert.Equal(at.ToUnixTimeSeconds(), seen["backup.last_success.time"]);
        Assert.Equal(123_456_789, seen["backup.last_success.size"]);
        Assert.Equal((at, 123_456_789L), BackupMetrics.Last);
    }
}
