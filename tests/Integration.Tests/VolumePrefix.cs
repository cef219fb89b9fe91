using System.Globalization;

namespace DendriteAspire.Integration.Tests;

/// <summary>Unique <c>Dendrite:VolumePrefix</c> values, so test runs never share (or delete) anyone else's volumes.</summary>
public static class VolumePrefix
{
    public static string New(string purpose) =>
        string.Create(CultureInfo.InvariantCulture,
            $"dendriteaspire-test-{purpose}-{DateTime.UtcNow:yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N")[..6]}");

    /// <summary>
    /// Removes the volumes the AppHost creates for the prefix, and any other volume named with it. A volume still in use
    /// is tried again for a minute: the AppHost's orchestrator removes its containers after the AppHost has stopped, and
    /// Docker does so a moment later than podman. A container still holding one after that is a leak, and fails.
    /// </summary>
    public static async Task RemoveVolumesAsync(ContainerRuntime runtime, string prefix, bool withPostgres)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var volumes = ContainerRuntime.VolumeNames(prefix, withPostgres).ToHashSet(StringComparer.Ordinal);
        var listed = await runtime.ListVolumesAsync(prefix, timeout.Token).ConfigureAwait(false);
        volumes.UnionWith(listed);
        var patience = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        var result = await runtime.RemoveVolumesAsync(volumes, timeout.Token).ConfigureAwait(false);
        while (!result.Succeeded && InUse(result.StandardError) && DateTime.UtcNow < patience)
        {
            await Task.Delay(TimeSpan.FromSeconds(2), timeout.Token).ConfigureAwait(false);
            result = await runtime.RemoveVolumesAsync(volumes, timeout.Token).ConfigureAwait(false);
        }

        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"could not remove volumes of {prefix}: {result.FirstErrorLine}");
        }
    }

    // Docker: "volume is in use - [id]"; podman: "volume ... is being used by the following container(s)".
    private static bool InUse(string error) =>
        error.Contains("in use", StringComparison.OrdinalIgnoreCase) || error.Contains("being used", StringComparison.OrdinalIgnoreCase);
}
