using System.Text.RegularExpressions;
using k8s.Models;

namespace DendriteAspire.Hosting.Kubernetes;

/// <summary>
/// Every published pod meets Pod Security "restricted" and runs with a read-only root file system. This is applied
/// once, over every object the publish step produces, so a workload of any kind (StatefulSet, Deployment, Job, ...)
/// gets it without asking: a non-root user and group (from the <see cref="ClusterUserAnnotation"/> of the resource the
/// object belongs to, <see cref="PublishedObject.Owner"/>: a Job that Dendrite adds runs as Dendrite), the group as
/// <c>fsGroup</c> so claims and Secret files are shared through it, the runtime's default seccomp profile, no service
/// account token, and containers without privilege escalation or capabilities. Directories a process writes that
/// hold no state (<see cref="ScratchDirectoryAnnotation"/>) become <c>emptyDir</c> volumes.
/// </summary>
internal static partial class PodSecurity
{
    /// <summary>The uid and gid of a workload that names none: the conventional "nonroot" user.</summary>
    public const long DefaultUserId = 65532;

    private const string RuntimeDefault = "RuntimeDefault";

    /// <summary>Hardens the pod of every workload among <paramref name="objects"/>, whatever its kind.</summary>
    public static void Apply(IEnumerable<PublishedObject> objects, DistributedApplicationModel model)
    {
        foreach (var published in objects)
        {
            if (PodOf(published.Object) is ({ } pod, var labels))
            {
                Restrict(pod, published.Owner ?? ResourceOf(labels, model));
            }
        }
    }

    /// <summary>The pod spec an object runs, and the labels of its pods; null for objects that run none.</summary>
    public static (V1PodSpec? Pod, IDictionary<string, string>? Labels) PodOf(object kubernetesObject) => kubernetesObject switch
    {
        V1StatefulSet set => (set.Spec?.Template?.Spec, set.Spec?.Template?.Metadata?.Labels),
        V1Deployment deployment => (deployment.Spec?.Template?.Spec, deployment.Spec?.Template?.Metadata?.Labels),
        V1Job job => (job.Spec?.Template?.Spec, job.Spec?.Template?.Metadata?.Labels),
        V1CronJob cronJob => (cronJob.Spec?.JobTemplate?.Spec?.Template?.Spec, cronJob.Spec?.JobTemplate?.Spec?.Template?.Metadata?.Labels),
        V1DaemonSet daemonSet => (daemonSet.Spec?.Template?.Spec, daemonSet.Spec?.Template?.Metadata?.Labels),
        V1ReplicaSet replicaSet => (replicaSet.Spec?.Template?.Spec, replicaSet.Spec?.Template?.Metadata?.Labels),
        V1Pod pod => (pod.Spec, pod.Metadata?.Labels),
        _ => (null, null),
    };

    /// <summary>
    /// The uid and gid <paramref name="resource"/> runs as: its last <see cref="ClusterUserAnnotation"/>, else
    /// <see cref="DefaultUserId"/>. The one place a pod's identity is decided, on the cluster and, for Dendrite, locally.
    /// </summary>
    public static ClusterUserAnnotation UserOf(IResource? resource) =>
        resource?.Annotations.OfType<ClusterUserAnnotation>().LastOrDefault() ?? new ClusterUserAnnotation(DefaultUserId, DefaultUserId);

    public static void Restrict(V1PodSpec pod, IResource? resource)
    {
        var user = UserOf(resource);
        if (user.UserId <= 0 || user.GroupId <= 0)
        {
            throw new KubernetesPublishException($"Resource '{resource?.Name}' runs as {user.UserId}:{user.GroupId} on the cluster; use a non-root uid and gid (above 0).");
        }

        pod.AutomountServiceAccountToken = false;
        pod.SecurityContext = new V1PodSecurityContext
        {
            RunAsNonRoot = true,
            RunAsUser = user.UserId,
            RunAsGroup = user.GroupId,
            FsGroup = user.GroupId,
            FsGroupChangePolicy = "OnRootMismatch",
            // Kept: another workload's group a pod shares files with (the backup pod reads onboarding's claim).
            SupplementalGroups = pod.SecurityContext?.SupplementalGroups is { Count: > 0 } groups && groups.All(g => g > 0) ? groups : null,
            SeccompProfile = new V1SeccompProfile { Type = RuntimeDefault },
        };

        var scratch = ScratchVolumes(resource);
        if (scratch.Count > 0)
        {
            pod.Volumes = [.. pod.Volumes ?? [], .. scratch.Select(s => s.Volume)];
        }

        foreach (var container in (pod.InitContainers ?? []).Concat(pod.Containers ?? []))
        {
            container.SecurityContext = new V1SecurityContext
            {
                RunAsNonRoot = true,
                AllowPrivilegeEscalation = false,
                Privileged = false,
                ReadOnlyRootFilesystem = true,
                Capabilities = new V1Capabilities { Drop = ["ALL"] },
                SeccompProfile = new V1SeccompProfile { Type = RuntimeDefault },
            };
            if (scratch.Count > 0)
            {
                container.VolumeMounts = [.. container.VolumeMounts ?? [], .. scratch.Select(s => s.Mount)];
            }
        }
    }

    private static IResource? ResourceOf(IDictionary<string, string>? labels, DistributedApplicationModel model) =>
        labels is not null && labels.TryGetValue(KubernetesLabels.NameLabel, out var name)
            ? model.Resources.FirstOrDefault(r => r.Name == name)
            : null;

    private static List<(V1Volume Volume, V1VolumeMount Mount)> ScratchVolumes(IResource? resource) =>
        [.. (resource?.Annotations.OfType<ScratchDirectoryAnnotation>() ?? [])
            .Select(a => a.Path)
            .Distinct(StringComparer.Ordinal)
            .Select(path =>
            {
                var name = "scratch-" + NonNameCharacters().Replace(path.Trim('/'), "-").ToLowerInvariant();
                return (new V1Volume { Name = name, EmptyDir = new V1EmptyDirVolumeSource() }, new V1VolumeMount { Name = name, MountPath = path });
            })];

    [GeneratedRegex("[^a-zA-Z0-9]+")]
    private static partial Regex NonNameCharacters();
}
