using System.Collections;
using System.Reflection;
using k8s.Models;

namespace DendriteAspire.AppHost.Tests;

/// <summary>
/// The Pod Security Standards "restricted" profile (which includes "baseline"), one named rule at a time, plus the
/// hardening this project adds (read-only root, explicit ids, no service account token). Each rule lists the
/// violations it finds in a pod, so a failing test names the rule and the container.
/// Written from the standard (kubernetes.io/docs/concepts/security/pod-security-standards), not from the publisher.
/// </summary>
internal static class RestrictedProfile
{
    private static readonly HashSet<string> AllowedVolumeSources =
        ["ConfigMap", "Csi", "DownwardAPI", "EmptyDir", "Ephemeral", "PersistentVolumeClaim", "Projected", "Secret"];

    private static readonly HashSet<string> SafeSysctls =
    [
        "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start",
        "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports",
        "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes",
    ];

    private static readonly HashSet<string> AllowedSeLinuxTypes = ["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"];

    public static IReadOnlyDictionary<string, Func<V1PodSpec, IEnumerable<string>>> Rules { get; } =
        new SortedDictionary<string, Func<V1PodSpec, IEnumerable<string>>>(StringComparer.Ordinal)
        {
            ["host namespaces"] = pod => Flag(pod.HostNetwork == true, "hostNetwork")
                .Concat(Flag(pod.HostPID == true, "hostPID")).Concat(Flag(pod.HostIPC == true, "hostIPC")),
            ["privileged containers"] = pod => Each(pod, c => c.SecurityContext?.Privileged == true ? "privileged: true" : null),
            ["capabilities drop ALL, add at most NET_BIND_SERVICE"] = pod => Each(pod, c =>
            {
                var capabilities = c.SecurityContext?.Capabilities;
                if (capabilities?.Drop?.Contains("ALL") != true)
                {
                    return "does not drop ALL";
                }

                var added = (capabilities.Add ?? []).Where(a => a != "NET_BIND_SERVICE").ToList();
                return added.Count > 0 ? "adds " + string.Join(',', added) : null;
            }),
            ["volume types"] = pod => (pod.Volumes ?? []).SelectMany(v => SetSources(v)
                .Where(source => !AllowedVolumeSources.Contains(source))
                .Select(source => $"volume {v.Name} is {source}")),
            ["host ports"] = pod => Each(pod, c => (c.Ports ?? []).Any(p => p.HostPort is > 0) ? "sets a hostPort" : null),
            ["AppArmor"] = pod => Flag(!AppArmorAllowed(pod.SecurityContext?.AppArmorProfile), "pod appArmorProfile")
                .Concat(Each(pod, c => AppArmorAllowed(c.SecurityContext?.AppArmorProfile) ? null : "appArmorProfile")),
            ["SELinux"] = pod => Flag(!SeLinuxAllowed(pod.SecurityContext?.SeLinuxOptions), "pod seLinuxOptions")
                .Concat(Each(pod, c => SeLinuxAllowed(c.SecurityContext?.SeLinuxOptions) ? null : "seLinuxOptions")),
            ["/proc mount type"] = pod => Each(pod, c => c.SecurityContext?.ProcMount is null or "Default" ? null : $"procMount {c.SecurityContext.ProcMount}"),
            ["seccomp RuntimeDefault or Localhost"] = pod =>
            {
                var podProfile = pod.SecurityContext?.SeccompProfile?.Type;
                return Flag(podProfile == "Unconfined", "pod seccomp Unconfined").Concat(Each(pod, c =>
                {
                    var profile = c.SecurityContext?.SeccompProfile?.Type ?? podProfile;
                    return profile is "RuntimeDefault" or "Localhost" ? null : $"seccomp {profile ?? "unset"}";
                }));
            },
            ["sysctls"] = pod => (pod.SecurityContext?.Sysctls ?? []).Where(s => !SafeSysctls.Contains(s.Name)).Select(s => $"sysctl {s.Name}"),
            ["allowPrivilegeEscalation false"] = pod => Each(pod, c => c.SecurityContext?.AllowPrivilegeEscalation == false ? null : "allowPrivilegeEscalation is not false"),
            ["runAsNonRoot true"] = pod => Each(pod, c =>
                (c.SecurityContext?.RunAsNonRoot ?? pod.SecurityContext?.RunAsNonRoot) == true ? null : "runAsNonRoot is not true"),
            ["runAsUser not 0"] = pod => Flag(pod.SecurityContext?.RunAsUser == 0, "pod runAsUser 0")
                .Concat(Each(pod, c => c.SecurityContext?.RunAsUser == 0 ? "runAsUser 0" : null)),
            ["Windows HostProcess"] = pod => Flag(pod.SecurityContext?.WindowsOptions?.HostProcess == true, "pod hostProcess")
                .Concat(Each(pod, c => c.SecurityContext?.WindowsOptions?.HostProcess == true ? "hostProcess" : null)),

            // What this project adds on top of the standard.
            ["readOnlyRootFilesystem true"] = pod => Each(pod, c => c.SecurityContext?.ReadOnlyRootFilesystem == true ? null : "root file system is writable"),
            ["explicit runAsUser, runAsGroup and fsGroup"] = pod =>
            {
                var context = pod.SecurityContext;
                return Flag(context?.RunAsUser is not > 0, "pod runAsUser not set above 0")
                    .Concat(Flag(context?.RunAsGroup is not > 0, "pod runAsGroup not set above 0"))
                    .Concat(Flag(context?.FsGroup is not > 0, "pod fsGroup not set above 0"))
                    .Concat(Each(pod, c => c.SecurityContext?.RunAsGroup == 0 ? "runAsGroup 0" : null));
            },
            ["no service account token"] = pod => Flag(pod.AutomountServiceAccountToken != false, "automountServiceAccountToken is not false"),
        };

    public static TheoryData<string> RuleNames => [.. Rules.Keys];

    /// <summary>Every pod spec anywhere in the objects, found by walking the typed model, whatever the kind.</summary>
    public static IEnumerable<(string Workload, V1PodSpec Pod)> PodsIn(IEnumerable<object> objects)
    {
        foreach (var kubernetesObject in objects)
        {
            var name = $"{((k8s.IKubernetesObject)kubernetesObject).Kind}/{((IMetadata<V1ObjectMeta>)kubernetesObject).Metadata.Name}";
            foreach (var pod in Find(kubernetesObject))
            {
                yield return (name, pod);
            }
        }
    }

    private static IEnumerable<V1PodSpec> Find(object? value)
    {
        switch (value)
        {
            case null or string:
                yield break;
            case V1PodSpec pod:
                yield return pod;
                yield break;
            case IEnumerable items:
                foreach (var pod in items.Cast<object?>().SelectMany(Find))
                {
                    yield return pod;
                }

                yield break;
        }

        var type = value.GetType();
        if (type.Namespace != "k8s.Models")
        {
            yield break;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            foreach (var pod in Find(property.GetValue(value)))
            {
                yield return pod;
            }
        }
    }

    private static IEnumerable<string> Each(V1PodSpec pod, Func<V1Container, string?> check) =>
        AllContainers(pod)
            .Select(c => (c.Name, Problem: check(c)))
            .Where(r => r.Problem is not null)
            .Select(r => $"container {r.Name}: {r.Problem}")
            .Concat((pod.EphemeralContainers ?? []).Select(e => $"ephemeral container {e.Name} is not checked"));

    private static IEnumerable<string> Flag(bool violated, string what) => violated ? [what] : [];

    private static bool AppArmorAllowed(V1AppArmorProfile? profile) => profile?.Type is null or "RuntimeDefault" or "Localhost";

    private static bool SeLinuxAllowed(V1SELinuxOptions? options) =>
        options is null || (AllowedSeLinuxTypes.Contains(options.Type ?? "") && options.User is null && options.Role is null);

    private static IEnumerable<string> SetSources(V1Volume volume) =>
        typeof(V1Volume).GetProperties()
            .Where(p => p.Name != nameof(V1Volume.Name) && p.GetValue(volume) is not null)
            .Select(p => p.Name);

    public static IEnumerable<V1Container> AllContainers(V1PodSpec pod) =>
        (pod.InitContainers ?? []).Concat(pod.Containers ?? []);
}
