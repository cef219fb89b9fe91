using System.Text.Json;
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
        Assert.Equal(("http", 8080), (Assert.Single(container.Ports).Name, container.Ports[0].ContainerPort));
        var service = _output.Named<V1Service>("element");
        Assert.Equal((80, "http"), (Assert.Single(service.Spec.Ports).Port, service.Spec.Ports[0].TargetPort.Value));

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

        // The pod cannot bind port 80 (uid 101, no capabilities): nginx's site directory is the ConfigMap's default.conf
        // alone, read-only, listening on the container's port; nothing else under /etc/nginx is mounted.
        var site = Assert.Single(container.VolumeMounts, m => m.MountPath.StartsWith("/etc/nginx", StringComparison.Ordinal));
        Assert.Equal(("/etc/nginx/conf.d", null, true), (site.MountPath, site.SubPath, site.ReadOnlyProperty));
        var volume = Assert.Single(pod.Volumes, v => v.Name == site.Name);
        Assert.Equal(("element-config", "default.conf"), (volume.ConfigMap.Name, Assert.Single(volume.ConfigMap.Items).Key));
        var conf = _output.Named<V1ConfigMap>("element-config").Data["default.conf"];
        Assert.Contains("listen       8080;", conf, StringComparison.Ordinal);
        Assert.Contains("listen  [::]:8080;", conf, StringComparison.Ordinal);
        Assert.Contains("root   /app;", conf, StringComparison.Ordinal);
        Assert.DoesNotContain("listen       80;", conf, StringComparison.Ordinal);
    }

    [Fact]
    public void The_onboarding_Dockerfile_builds_the_image_the_publish_names_by_default_for_the_pods_user_and_port()
    {
        var dockerfile = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "Onboarding", "Dockerfile"));
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "AppHost", "appsettings.json")), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var image = settings.RootElement.GetProperty("Dendrite").GetProperty("Kubernetes").GetProperty("Images").GetProperty("Onboarding").GetString();

        Assert.Contains($"-t {image} ", dockerfile, StringComparison.Ordinal);
        Assert.Contains("\nUSER 1654:1654\n", dockerfile, StringComparison.Ordinal);
        Assert.Contains("ASPNETCORE_HTTP_PORTS=8080", dockerfile, StringComparison.Ordinal);
        Assert.Contains("\nEXPOSE 8080\n", dockerfile, StringComparison.Ordinal);
    }

    [Fact]
    public void Onboarding_is_a_deployment_of_the_configured_image_with_its_secrets_in_a_secret_and_its_state_on_a_claim()
    {
        var deployment = _output.Named<V1Deployment>("onboarding");
        Assert.Equal("Recreate", deployment.Spec.Strategy.Type);
        var container = Assert.Single(deployment.Spec.Template.Spec.Containers);
        Assert.Equal("registry.home.lan/dendrite-aspire-onboarding:0.1.0", container.Image);
        // The public port, and the Prometheus port of its own (MonitoringPublishTests).
        Assert.Equal([("http", 8080), ("metrics", 9464)], container.Ports.Select(p => (p.Name, p.ContainerPort)));
        var pod = deployment.Spec.Template.Spec.SecurityContext;
        Assert.Equal((1654L, 1654L, 1654L), (pod.RunAsUser, pod.RunAsGroup, pod.FsGroup)); // the user of Onboarding/Dockerfile
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

        var mount = Assert.Single(container.VolumeMounts, m => m.MountPath == "/data");
        var volume = Assert.Single(deployment.Spec.Template.Spec.Volumes, v => v.Name == mount.Name);
        var claim = _output.Named<V1PersistentVolumeClaim>(volume.PersistentVolumeClaim.ClaimName);
        Assert.Equal("onboarding-data", claim.Metadata.Name);
        Assert.Equal(["ReadWriteOnce"], claim.Spec.AccessModes);

        // Data protection writes its keys through a temporary file: on the read-only root, /tmp is an emptyDir.
        var temp = Assert.Single(container.VolumeMounts, m => m.MountPath == "/tmp");
        Assert.NotNull(Assert.Single(deployment.Spec.Template.Spec.Volumes, v => v.Name == temp.Name).EmptyDir);
        Assert.Equal(["/data", "/tmp"], container.VolumeMounts.Select(m => m.MountPath).Order(StringComparer.Ordinal));
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
