using DendriteAspire.Backup.Archive;
using DendriteAspire.Backup.Runtime;
using DendriteAspire.ConfigRenderer.Layout;
using DendriteAspire.Hosting.Kubernetes;
using k8s.Models;

namespace DendriteAspire.Hosting;

/// <summary>
/// The upgrade guard in a cluster: the StatefulSet's first init container, <c>dendrite-release-guard</c>, reads the
/// release recorded on the <c>storage-keys</c> claim (<c>dendriteaspire-release</c>, the same record the local guard and
/// a restore write). A configured release older than the recorded one is refused, exit 2, with the reason in its log
/// (<c>kubectl logs dendrite-0 -c dendrite-release-guard</c>), so Dendrite never starts on a schema it cannot read;
/// otherwise it records the configured release and Dendrite starts. It runs Dendrite's own image (its shell). A tag
/// that is not a release (such as <c>latest</c>) has nothing to compare: no guard then.
/// </summary>
internal static class ReleaseGuardInitContainer
{
    public const string Name = "dendrite-release-guard";
    public const int RefusedExitCode = 2;

    /// <summary>Puts the guard first among the StatefulSet's init containers (the <see cref="KubernetesObjectsAnnotation"/> callback).</summary>
    public static Task ContributeAsync(KubernetesObjectsContext context)
    {
        var dendrite = (DendriteResource)context.Resource;
        var statefulSet = context.Workload.OfType<V1StatefulSet>().SingleOrDefault();
        var image = context.MainContainer().Image;
        if (statefulSet is null || KubernetesLabels.ImageTag(image) is not { } tag || !DendriteRelease.TryParse(tag, out var release))
        {
            return Task.CompletedTask;
        }

        var pod = statefulSet.Spec.Template.Spec;
        var guard = new V1Container
        {
            Name = Name,
            Image = image,
            ImagePullPolicy = context.MainContainer().ImagePullPolicy,
            Command = [SigningKeyGeneration.Shell, "-c", Script(DendriteRelease.Tag(release), dendrite.Name)],
            VolumeMounts = [new V1VolumeMount { Name = DendriteVolume.StorageKeys.Name, MountPath = DendritePaths.StorageKeys }],
            Resources = new V1ResourceRequirements
            {
                Requests = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal) { ["cpu"] = new("10m"), ["memory"] = new("16Mi") },
                Limits = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal) { ["memory"] = new("64Mi") },
            },
        };
        pod.InitContainers = [guard, .. pod.InitContainers ?? []];
        return Task.CompletedTask;
    }

    /// <summary>The guard's script: compare <c>vX.Y.Z</c> numerically, refuse an older configured release, else record it.</summary>
    internal static string Script(string configured, string statefulSet) => string.Join('\n',
        "set -eu",
        $"marker={DendritePaths.StorageKeys}/{ServerVolumes.ReleaseMarker}",
        $"configured={configured}",
        "number() { v=${1#v}; a=${v%%.*}; r=${v#*.}; b=${r%%.*}; c=${r#*.}; c=${c%%[!0-9]*}; echo $((a * 1000000 + b * 1000 + c)); }",
        "recorded=''",
        "if [ -f \"$marker\" ]; then recorded=$(tr -d ' \\n' < \"$marker\"); fi",
        "if printf '%s' \"$recorded\" | grep -Eq '^v?[0-9]+\\.[0-9]+\\.[0-9]+'; then",
        "  if [ \"$(number \"$recorded\")\" -gt \"$(number \"$configured\")\" ]; then",
        $"    echo \"refused: Dendrite $configured is older than $recorded, the release that last ran on this data (recorded in $marker); Dendrite cannot run on a newer schema. Set Dendrite:ImageTag=$recorded (or newer) and publish again, or to go back, restore the backup taken before the upgrade (README: Backups, In a cluster) and scale {statefulSet} to 1.\" >&2",
        $"    exit {RefusedExitCode}",
        "  fi",
        "  echo \"Dendrite $configured on data last run by $recorded: allowed.\"",
        "else",
        "  echo \"Dendrite $configured: no release recorded yet; recording it.\"",
        "fi",
        "printf '%s\\n' \"$configured\" > \"$marker.new\"",
        "mv \"$marker.new\" \"$marker\"");
}
