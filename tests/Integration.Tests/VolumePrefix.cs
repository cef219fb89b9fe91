using System.Globalization;

namespace DendriteAspire.Integration.Tests;

/// <summary>Unique <c>Dendrite:VolumePrefix</c> values, so test runs never share (or delete) anyone else's volumes.</summary>
public static class VolumePrefix
{
    public static string New(string purpose) =>
        string.Create(CultureInfo.InvariantCulture,
            $"dendriteaspire-test-{purpose}-{DateTime.UtcNow:yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N")[..6]}");

    /// <summary>Removes the volumes the AppHost creates for the prefix, and any other volume named with it.</summary>
    public static async Task RemoveVolumesAsync(ContainerRuntime runtime, string prefix, bool withPostgres)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var volumes = ContainerRuntime.VolumeNames(prefix, withPostgres).ToHashSet(StringComparer.Ordinal);
        var listed = await runtime.ListVolumesAsync(prefix, timeout.Token).ConfigureAwait(false);
        volumes.UnionWith(listed);
        var result = await runtime.RemoveVolumesAsync(volumes, timeout.Token).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"could not remove volumes of {prefix}: {result.FirstErrorLine}");
        }
    }
}
