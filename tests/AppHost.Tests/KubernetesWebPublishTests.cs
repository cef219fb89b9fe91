using k8s.Models;

namespace DendriteAspire.AppHost.Tests;

/// <summary>Element Web and the onboarding service in the Kubernetes output: Deployments, Services, claim, config, ingress.</summary>
public sealed class WebPublish : IAsyncLifetime
{
    public PublishedManifests Manifests { get; private set; } = null!;

    public async ValueTask InitializeAsync() =>
        Manifests = await PublishedManifests.PublishAsync(
            "--Dendrite:ServerName=family.example",
            "--Dendrite:WellKnown:ClientUrl=https://matrix.family.example",
            "--Dendrite:Kubernetes:Ingress:Host=matrix.family.example",
            "--Dendrite:Kubernetes:Ingress:ClientHost=chat.family.example",
            "--Dendrite:Kubernetes:Ingress:TlsSecretName=family-tls",
            "--Dendrite:Kubernetes:Images:Onboarding=registry.home.lan/dendrite-aspire-onboarding:0.1.0");

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

public class KubernetesWebPublishTests(WebPublish published) : IClassFixture<WebPublish>
{
    private readonly PublishedManifests _output = published.Manifests;

    [Fact]
    public void Element_is_a_one_replica_deployment_with_its_config_in_a_config_map_mounted_over_app_config_json()
    {
        var deployment = _output.Named<V1Deployment>("element");
        Assert.Equal(1, deployment.Spec.Replicas);
        Assert.Equal("Recreate", deployment.Spec.Strategy.Type);
        var container = Assert.Single(deployment.Spec.Template.Spec.Containers);
        Assert.Equal("docker.io/vectorim/element-web:v1.11.31", container.Image);
        Assert.Equal(80, Assert.Single(container.Ports).ContainerPort);

        var mount = Assert.Single(container.VolumeMounts, m => m.MountPath.StartsWith("/app", StringComparison.Ordinal));
        Assert.Equal(("/app/config.json", "config.json", true), (mount.MountPath, mount.SubPath, mount.ReadOnlyProperty));
        var volume = Assert.Single(deployment.Spec.Template.Spec.Volumes, v => v.Name == mount.Name);
        Assert.Equal("element-config", volume.ConfigMap.Name);
        Assert.Null(volume.Secret);

        var config = _output.Named<V1ConfigMap>("element-config").Data["config.json"];
        Assert.Contains("\"base_url\": \"https://matrix.family.example\"", config, StringComparison.Ordinal);
        Assert.Contains("\"server_name\": \"family.example\"", config, StringComparison.Ordinal);
        Assert.DoesNotContain(_output.All<V1Secret>(), s => s.Metadata.Name.StartsWith("element", StringComparison.Ordinal));
        Assert.NotNull(deployment.Spec.Template.Metadata.Annotations["checksum/config"]);
    }

    [Fact]
    public void Element_runs_as_nginx_with_scratch_directories_for_what_nginx_writes_on_a_read_only_root()
    {
        var pod = _output.Named<V1Deployment>("element").Spec.Template.Spec;
        Assert.Equal((101L, 101L, 101L), (pod.SecurityContext.RunAsUser, pod.SecurityContext.RunAsGroup, pod.SecurityContext.FsGroup));

        var container = Assert.Single(pod.Containers);
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        foreach (var path in new[] { "/var/cache/nginx", "/var/run", "/tmp" })
        {
            var mount = Assert.Single(container.VolumeMounts, m => m.MountPath == path);
            Assert.NotNull(Assert.Single(pod.Volumes, v => v.Name == mount.Name).EmptyDir);
        }

        // v1.11.31 ships its site config in /etc/nginx/conf.d: an emptyDir there would hide it.
        Assert.DoesNotContain(container.VolumeMounts, m => m.MountPath.StartsWith("/etc/nginx", StringComparison.Ordinal));
    }

    [Fact]
    public void Onboarding_is_a_deployment_of_the_configured_image_with_its_secrets_in_a_secret_and_its_state_on_a_claim()
    {
        var deployment = _output.Named<V1Deployment>("onboarding");
        Assert.Equal("Recreate", deployment.Spec.Strategy.Type);
        var container = Assert.Single(deployment.Spec.Template.Spec.Containers);
        Assert.Equal("registry.home.lan/dendrite-aspire-onboarding:0.1.0", container.Image);
        Assert.Equal(("http", 8080), (Assert.Single(container.Ports).Name, container.Ports[0].ContainerPort));
        Assert.Equal("/health", container.ReadinessProbe.HttpGet.Path);
        Assert.Equal("/alive", container.LivenessProbe.HttpGet.Path);

        var environment = container.Env.ToDictionary(e => e.Name);
        foreach (var secret in new[] { "Onboarding__InviteSecret", "Onboarding__RegistrationSecret", "Onboarding__RoomOwnerPassword" })
        {
            Assert.Null(environment[secret].Value);
            Assert.Equal(("onboarding-env", secret), (environment[secret].ValueFrom.SecretKeyRef.Name, environment[secret].ValueFrom.SecretKeyRef.Key));
        }

        var secrets = _output.Named<V1Secret>("onboarding-env").StringData;
        Assert.Equal(Publishing.InviteSecret, secrets["Onboarding__InviteSecret"]);
        Assert.Equal(Publishing.RegistrationSecret, secrets["Onboarding__RegistrationSecret"]);
        Assert.Equal(Publishing.RoomOwnerPassword, secrets["Onboarding__RoomOwnerPassword"]);
        // The most exposed workload never holds the bootstrap admin's password, in its Secret or anywhere in its spec.
        Assert.DoesNotContain(secrets, s => s.Value.Contains(Publishing.AdminPassword, StringComparison.Ordinal) || s.Key.Contains("AdminPassword", StringComparison.Ordinal));
        Assert.DoesNotContain(Publishing.AdminPassword, _output.Files["onboarding-env-secret.yaml"], StringComparison.Ordinal);
        Assert.DoesNotContain(Publishing.AdminPassword, _output.Files["onboarding-deployment.yaml"], StringComparison.Ordinal);
        Assert.DoesNotContain(container.Env, e => e.ValueFrom?.SecretKeyRef is { Name: "dendrite-admin" });
        Assert.Equal("http://dendrite:80", environment["services__dendrite__http__0"].Value);
        Assert.Equal("https://matrix.family.example", environment["Onboarding__PublicUrl"].Value);
        Assert.Equal("https://chat.family.example", environment["Onboarding__ElementUrl"].Value);
        Assert.Equal("https://matrix.family.example", environment["Onboarding__HomeserverUrl"].Value);
        Assert.Equal("/data", environment["Onboarding__DataDirectory"].Value);

        var mount = Assert.Single(container.VolumeMounts);
        Assert.Equal("/data", mount.MountPath);
        var volume = Assert.Single(deployment.Spec.Template.Spec.Volumes, v => v.Name == mount.Name);
        var claim = _output.Named<V1PersistentVolumeClaim>(volume.PersistentVolumeClaim.ClaimName);
        Assert.Equal("onboarding-data", claim.Metadata.Name);
        Assert.Equal(["ReadWriteOnce"], claim.Spec.AccessModes);
    }

    [Fact]
    public void Element_gets_its_own_host_and_onboarding_its_paths_on_the_main_host_each_with_tls()
    {
        var element = _output.Named<V1Ingress>("element");
        var elementRule = Assert.Single(element.Spec.Rules);
        Assert.Equal("chat.family.example", elementRule.Host);
        Assert.Equal(["/"], elementRule.Http.Paths.Select(p => p.Path));
        Assert.Equal(("chat.family.example", "family-tls-element"), (element.Spec.Tls.Single().Hosts.Single(), element.Spec.Tls.Single().SecretName));

        var onboarding = _output.Named<V1Ingress>("onboarding");
        var rule = Assert.Single(onboarding.Spec.Rules);
        Assert.Equal("matrix.family.example", rule.Host);
        Assert.Equal(["/join", "/admin", "/api/invites"], rule.Http.Paths.Select(p => p.Path));
        Assert.All(rule.Http.Paths, p => Assert.Equal(("onboarding", 80), (p.Backend.Service.Name, p.Backend.Service.Port.Number)));
        Assert.Equal("family-tls", onboarding.Spec.Tls.Single().SecretName);
    }

    [Fact]
    public async Task A_join_host_gives_onboarding_a_host_of_its_own_and_its_links_start_there()
    {
        var output = await PublishedManifests.PublishAsync("--Dendrite:Kubernetes:Ingress:Host=matrix.family.example", "--Dendrite:Kubernetes:Ingress:JoinHost=join.family.example");

        var rule = Assert.Single(output.Named<V1Ingress>("onboarding").Spec.Rules);
        Assert.Equal(("join.family.example", "/"), (rule.Host, rule.Http.Paths.Single().Path));
        Assert.Equal("https://join.family.example", output.Named<V1Deployment>("onboarding").Spec.Template.Spec.Containers[0].Env.Single(e => e.Name == "Onboarding__PublicUrl").Value);
        Assert.Equal("/", Assert.Single(output.Named<V1Ingress>("element").Spec.Rules).Http.Paths.Single().Path);
    }

    [Fact]
    public async Task Rotating_a_secret_a_pod_reads_from_its_environment_changes_its_pod_template_so_the_pod_restarts()
    {
        static IDictionary<string, string> Annotations(PublishedManifests output) =>
            output.Named<V1Deployment>("onboarding").Spec.Template.Metadata.Annotations;
        var before = await PublishedManifests.PublishAsync();
        var rotated = await PublishedManifests.PublishAsync("--Parameters:onboarding-invite-secret=a-rotated-invite-secret-0123456789");

        var secret = before.Named<V1Secret>("onboarding-env");
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            string.Join("\n", secret.StringData.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}\n{p.Value}")))));
        Assert.Equal(expected, Annotations(before)["checksum/secret-env"]);
        Assert.NotEqual(Annotations(before)["checksum/secret-env"], Annotations(rotated)["checksum/secret-env"]);
        Assert.Equal("a-rotated-invite-secret-0123456789", rotated.Named<V1Secret>("onboarding-env").StringData["Onboarding__InviteSecret"]);
        foreach (var workload in before.All<V1StatefulSet>().Select(s => (s.Metadata.Name, s.Spec.Template)).Concat(before.All<V1Deployment>().Select(d => (d.Metadata.Name, d.Spec.Template))))
        {
            if (before.All<V1Secret>().Any(s => s.Metadata.Name == workload.Name + "-env"))
            {
                Assert.True(workload.Template.Metadata.Annotations?.ContainsKey("checksum/secret-env") == true, $"{workload.Name} reads {workload.Name}-env but its pod has no checksum of it");
            }
        }
    }

    [Fact]
    public async Task The_onboarding_pod_trusts_only_the_private_ranges_or_the_configured_proxies_to_name_the_client()
    {
        var defaults = (await PublishedManifests.PublishAsync()).Named<V1Deployment>("onboarding").Spec.Template.Spec.Containers[0].Env;
        var narrowed = (await PublishedManifests.PublishAsync("--Dendrite:Onboarding:TrustedProxies=10.42.0.0/16")).Named<V1Deployment>("onboarding").Spec.Template.Spec.Containers[0].Env;

        Assert.Equal(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"],
            defaults.Where(e => e.Name.StartsWith("Onboarding__TrustedProxies__", StringComparison.Ordinal)).OrderBy(e => e.Name, StringComparer.Ordinal).Select(e => e.Value));
        Assert.Equal("10.42.0.0/16", Assert.Single(narrowed, e => e.Name.StartsWith("Onboarding__TrustedProxies__", StringComparison.Ordinal)).Value);
    }

    [Fact]
    public async Task Without_the_client_neither_element_nor_its_config_is_published()
    {
        var output = await PublishedManifests.PublishAsync("--Dendrite:Client:Enabled=false");

        Assert.DoesNotContain(output.Files.Keys, f => f.StartsWith("element", StringComparison.Ordinal));
        Assert.DoesNotContain(output.Named<V1Deployment>("onboarding").Spec.Template.Spec.Containers[0].Env, e => e.Name == "Onboarding__ElementUrl");
    }
}
