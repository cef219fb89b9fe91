using DendriteAspire.ConfigRenderer.Layout;
using k8s.Models;

namespace DendriteAspire.AppHost.Tests;

/// <summary>
/// Security contexts, by concern: every pod of every workload kind in the published output meets each rule of Pod
/// Security "restricted", one test case per rule, so a regression names the rule. Pods are found generically, so
/// workloads added later are checked without touching this file.
/// </summary>
[Collection(PublishedOutputs.Name)]
public class KubernetesSecurityContextTests(FullestPublish fullest, SqlitePublish sqlite)
{
    private IEnumerable<(string Workload, V1PodSpec Pod)> Pods =>
        RestrictedProfile.PodsIn(fullest.Manifests.Objects).Concat(RestrictedProfile.PodsIn(sqlite.Manifests.Objects));

    [Theory]
    [MemberData(nameof(RestrictedProfile.RuleNames), MemberType = typeof(RestrictedProfile))]
    public void Every_published_pod_meets_the_restricted_rule(string rule)
    {
        var violations = Pods
            .SelectMany(p => RestrictedProfile.Rules[rule](p.Pod).Select(v => $"{p.Workload}: {v}"))
            .ToList();

        Assert.True(violations.Count == 0, $"Pod Security 'restricted', rule '{rule}':\n" + string.Join('\n', violations));
    }

    [Fact]
    public void The_rules_see_every_workload_and_every_container()
    {
        // At least these; workloads added later (Deployments, Jobs) are checked too, without being named here.
        var workloads = Pods.Select(p => p.Workload).ToHashSet();
        Assert.Superset(new HashSet<string> { "StatefulSet/dendrite", "StatefulSet/postgres" }, workloads);
        var withPods = fullest.Manifests.Objects.Count(o => o is V1StatefulSet or V1Deployment or V1Job or V1CronJob or V1DaemonSet);
        Assert.Equal(withPods, RestrictedProfile.PodsIn(fullest.Manifests.Objects).Count());
        var containers = Pods.Where(p => p.Workload == "StatefulSet/dendrite").SelectMany(p => RestrictedProfile.AllContainers(p.Pod)).Select(c => c.Name).ToHashSet();
        Assert.Contains("dendrite-keygen", containers);
        Assert.Contains("wait-for-postgres", containers);
    }

    [Fact]
    public void Each_rule_can_fail_a_pod_that_breaks_it()
    {
        var root = new V1Container
        {
            Name = "root",
            Ports = [new V1ContainerPort { ContainerPort = 80, HostPort = 80 }],
            SecurityContext = new V1SecurityContext
            {
                Privileged = true,
                AllowPrivilegeEscalation = true,
                Capabilities = new V1Capabilities { Add = ["SYS_ADMIN"] },
                RunAsNonRoot = false,
                RunAsUser = 0,
                RunAsGroup = 0,
                ProcMount = "Unmasked",
                ReadOnlyRootFilesystem = false,
                SeccompProfile = new V1SeccompProfile { Type = "Unconfined" },
                AppArmorProfile = new V1AppArmorProfile { Type = "Unconfined" },
                SeLinuxOptions = new V1SELinuxOptions { User = "system_u" },
                WindowsOptions = new V1WindowsSecurityContextOptions { HostProcess = true },
            },
        };
        var pod = new V1PodSpec
        {
            HostNetwork = true,
            Containers = [root],
            Volumes = [new V1Volume { Name = "host", HostPath = new V1HostPathVolumeSource { Path = "/" } }],
            SecurityContext = new V1PodSecurityContext
            {
                RunAsUser = 0,
                Sysctls = [new V1Sysctl { Name = "kernel.msgmax", Value = "1" }],
                SeccompProfile = new V1SeccompProfile { Type = "Unconfined" },
            },
        };

        foreach (var (rule, check) in RestrictedProfile.Rules)
        {
            Assert.True(check(pod).Any(), $"rule '{rule}' cannot fail");
        }
    }

    [Fact]
    public void Dendrite_runs_as_a_fixed_non_root_user_and_its_key_step_writes_as_the_same_user()
    {
        var pod = fullest.Manifests.Named<V1StatefulSet>("dendrite").Spec.Template.Spec;
        Assert.Equal((1000L, 1000L, 1000L), (pod.SecurityContext.RunAsUser!.Value, pod.SecurityContext.RunAsGroup!.Value, pod.SecurityContext.FsGroup!.Value));
        Assert.Equal("OnRootMismatch", pod.SecurityContext.FsGroupChangePolicy);

        // No container overrides the pod's user, so the key the init container writes belongs to the user reading it.
        Assert.All(RestrictedProfile.AllContainers(pod), c => Assert.Null(c.SecurityContext.RunAsUser));
        Assert.All(RestrictedProfile.AllContainers(pod), c => Assert.Null(c.SecurityContext.RunAsGroup));
    }

    [Fact]
    public void The_config_secret_is_mounted_0440_and_readable_through_fsGroup()
    {
        var pod = fullest.Manifests.Named<V1StatefulSet>("dendrite").Spec.Template.Spec;
        var config = Assert.Single(pod.Volumes, v => v.Secret is not null);
        Assert.Equal(Convert.ToInt32("440", 8), config.Secret.DefaultMode);
        Assert.NotNull(pod.SecurityContext.FsGroup);
        var mount = pod.Containers.Single().VolumeMounts.Single(m => m.Name == config.Name);
        Assert.Equal((DendritePaths.ConfigDirectory, true), (mount.MountPath, mount.ReadOnlyProperty));
    }

    [Fact]
    public void Postgres_runs_as_999_with_scratch_directories_for_its_socket_and_tmp()
    {
        var pod = fullest.Manifests.Named<V1StatefulSet>("postgres").Spec.Template.Spec;
        Assert.Equal((999L, 999L, 999L), (pod.SecurityContext.RunAsUser!.Value, pod.SecurityContext.RunAsGroup!.Value, pod.SecurityContext.FsGroup!.Value));

        var emptyDirs = pod.Volumes.Where(v => v.EmptyDir is not null).Select(v => v.Name).ToHashSet();
        var mounts = pod.Containers.Single().VolumeMounts.Where(m => emptyDirs.Contains(m.Name)).Select(m => m.MountPath).Order().ToList();
        Assert.Equal(["/tmp", "/var/run/postgresql"], mounts);
        Assert.True(pod.Containers.Single().SecurityContext.ReadOnlyRootFilesystem);
    }

    [Fact]
    public void Dendrite_state_lives_on_claims_and_nothing_else_is_writable()
    {
        var set = fullest.Manifests.Named<V1StatefulSet>("dendrite");
        var claims = set.Spec.VolumeClaimTemplates.Select(c => c.Metadata.Name).ToHashSet();
        var main = set.Spec.Template.Spec.Containers.Single();
        var writable = main.VolumeMounts.Where(m => m.ReadOnlyProperty != true).Select(m => m.Name).ToList();
        Assert.All(writable, name => Assert.Contains(name, claims));
    }
}
