using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using DendriteAspire.Hosting;

namespace DendriteAspire.Integration.Tests;

/// <summary>
/// The local run before Dendrite ran as its cluster user: the same AppHost with the non-root pieces taken out of the
/// model, so the key step and the real Dendrite run as root and leave root's files on the volumes, as earlier versions did.
/// </summary>
public static class PreviousVersion
{
    public static void RunsDendriteAsRoot(IDistributedApplicationTestingBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var owner = builder.Resources.OfType<DendriteVolumeOwnershipResource>().Single();
        builder.Resources.Remove(owner);
        foreach (var resource in builder.Resources)
        {
            foreach (var annotation in resource.Annotations.Where(a => a is LocalUserAnnotation || a is WaitAnnotation w && w.Resource == owner).ToList())
            {
                resource.Annotations.Remove(annotation);
            }
        }
    }
}

/// <summary>What the running Dendrite is, and who owns what on its volumes, seen through the runtime.</summary>
public static class LocalUser
{
    /// <summary>The real uid and gid of the container's process 1 (Dendrite itself), from <c>/proc/1/status</c>.</summary>
    public static async Task<(long Uid, long Gid)> ProcessIdentityAsync(ContainerRuntime runtime, string container, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        var status = await runtime.RunAsync(TimeSpan.FromSeconds(30), ct, "exec", container, "cat", "/proc/1/status");
        Assert.True(status.Succeeded, status.FirstErrorLine);
        long Field(string name) => long.Parse(status.StandardOutput.Split('\n').Single(l => l.StartsWith(name + ":", StringComparison.Ordinal))
            .Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return (Field("Uid"), Field("Gid"));
    }

    /// <summary>The running Dendrite container of a volume prefix.</summary>
    public static async Task<string> DendriteContainerAsync(ContainerRuntime runtime, string prefix, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        return Assert.Single(await runtime.RunningContainersWithVolumeAsync($"{prefix}-sqlite", ct));
    }

    /// <summary>
    /// Every file and directory on Dendrite's six volumes (their roots included), as <c>uid:gid mode path</c> (a root one-off container with
    /// read-only mounts).
    /// </summary>
    public static async Task<IReadOnlyList<string>> VolumeFilesAsync(ContainerRuntime runtime, string prefix, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        string[] mounts = [.. ContainerRuntime.VolumeNames(prefix, withPostgres: false).SelectMany(v => new[] { "-v", $"{v}:/v/{v[(prefix.Length + 1)..]}:ro" })];
        var result = await runtime.RunAsync(TimeSpan.FromMinutes(2), ct,
            ["run", "--rm", "--entrypoint", "sh", .. mounts, LiveEnvironment.DendriteImage, "-c", "cd /v && find . -mindepth 1 -exec stat -c '%u:%g %a %n' {} +"]);
        Assert.True(result.Succeeded, result.FirstErrorLine);
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
