using System.Globalization;
using DendriteAspire.Backup.Runtime;

namespace DendriteAspire.Hosting;

/// <summary>
/// After each verified backup: the <see cref="BackupMetrics"/> gauges, and the Dendrite resource's properties on the
/// dashboard (<c>backup.last-success</c>, <c>backup.last-size</c>), so "when did it last work, how big" is one glance.
/// </summary>
internal static class BackupStatus
{
    public const string LastSuccessProperty = "backup.last-success";
    public const string LastSizeProperty = "backup.last-size";

    public static async Task ReportAsync(IServiceProvider services, DendriteResource dendrite, DateTimeOffset at, long sizeBytes)
    {
        BackupMetrics.Record(at, sizeBytes);
        var notifications = services.GetService(typeof(ResourceNotificationService)) as ResourceNotificationService;
        if (notifications is null)
        {
            return;
        }

        await notifications.PublishUpdateAsync(dendrite, state => state with
        {
            Properties =
            [
                .. state.Properties.Where(p => p.Name is not LastSuccessProperty and not LastSizeProperty),
                new ResourcePropertySnapshot(LastSuccessProperty, at.ToString("u", CultureInfo.InvariantCulture)),
                new ResourcePropertySnapshot(LastSizeProperty, string.Create(CultureInfo.InvariantCulture, $"{sizeBytes / 1048576.0:0.0} MiB ({sizeBytes} bytes)")),
            ],
        }).ConfigureAwait(false);
    }
}
