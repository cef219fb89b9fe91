using System.Text;
using DendriteAspire.ConfigRenderer.Layout;
using DendriteAspire.ConfigRenderer.Rendering;
using DendriteAspire.ConfigRenderer.Settings;
using k8s.Models;

namespace DendriteAspire.AppHost.Tests;

/// <summary>Publishes the default (SQLite) model once and checks the output by concern.</summary>
public sealed class SqlitePublish : IAsyncLifetime
{
    public PublishedManifests Manifests { get; private set; } = null!;

    public async ValueTask InitializeAsync() =>
        Manifests = await PublishedManifests.PublishAsync("--Dendrite:Kubernetes:StorageClass=longhorn", "--Dendrite:Kubernetes:VolumeSizes:jetstream=1Gi");

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

public class KubernetesPublishTests(SqlitePublish published) : IClassFixture<SqlitePublish>
{
    private readonly PublishedManifests _output = published.Manifests;

    [Fact]
    public void Kinds_and_names_are_one_object_per_file_listed_in_the_kustomization()
    {
        var kinds = _output.Objects.Select(o => $"{((k8s.IKubernetesObject)o).Kind}/{((IMetadata<V1ObjectMeta>)o).Metadata.Name}").Order().ToList();
        Assert.Equal(
            [
                "ConfigMap/element-config", "CronJob/dendrite-backup", "Deployment/element", "Deployment/onboarding", "Job/dendrite-bootstrap-admin",
                "Namespace/dendrite", "PersistentVolumeClaim/dendrite-backups", "PersistentVolumeClaim/onboarding-data", "Secret/dendrite-admin", "Secret/dendrite-config",
                "Secret/onboarding-env", "Service/dendrite", "Service/dendrite-headless", "Service/element", "Service/onboarding",
                "StatefulSet/dendrite",
            ],
            kinds);

        var kustomization = _output.Files["kustomization.yaml"];
        Assert.Contains("namespace: dendrite", kustomization, StringComparison.Ordinal);
        foreach (var file in _output.Files.Keys.Where(f => f != "kustomization.yaml"))
        {
            Assert.Contains($"- {file}", kustomization, StringComparison.Ordinal);
            Assert.Single(k8s.KubernetesYaml.LoadAllFromString(_output.Files[file]));
        }
    }

    [Fact]
    public void Every_object_carries_the_recommended_labels_and_the_namespace()
    {
        foreach (var metadata in _output.Objects.Cast<IMetadata<V1ObjectMeta>>().Select(o => o.Metadata))
        {
            Assert.Equal("dendrite-aspire", metadata.Labels["app.kubernetes.io/part-of"]);
            Assert.Equal("dendrite-aspire", metadata.Labels["app.kubernetes.io/managed-by"]);
            Assert.True(metadata.Labels.ContainsKey("app.kubernetes.io/name"));
            if (metadata.Name != "dendrite" || metadata.NamespaceProperty is not null)
            {
                Assert.Equal("dendrite", metadata.NamespaceProperty ?? metadata.Name);
            }
        }
    }

    [Fact]
    public void StatefulSet_has_one_replica_a_headless_service_the_pinned_image_and_the_config_args()
    {
        var set = _output.Named<V1StatefulSet>("dendrite");
        Assert.Equal(1, set.Spec.Replicas);
        Assert.Equal("dendrite-headless", set.Spec.ServiceName);

        var headless = _output.Named<V1Service>("dendrite-headless");
        Assert.Equal("None", headless.Spec.ClusterIP);
        Assert.Equal(set.Spec.Selector.MatchLabels, headless.Spec.Selector);
        foreach (var (key, value) in set.Spec.Selector.MatchLabels)
        {
            Assert.Equal(value, set.Spec.Template.Metadata.Labels[key]);
        }

        var container = Assert.Single(set.Spec.Template.Spec.Containers);
        Assert.Equal("docker.io/matrixdotorg/dendrite-monolith:v0.15.2", container.Image);
        Assert.Equal(["-config", "/etc/dendrite-config/dendrite.yaml"], container.Args);
        var port = Assert.Single(container.Ports);
        Assert.Equal(("http", 8008), (port.Name, port.ContainerPort));
        // The measured defaults (bench/RESULTS.md, "Sizing").
        Assert.Equal(("400m", "512Mi"), (container.Resources.Requests["cpu"].ToString(), container.Resources.Requests["memory"].ToString()));
        Assert.Equal("2Gi", container.Resources.Limits["memory"].ToString());
    }

    [Fact]
    public void Service_maps_port_80_to_8008_and_has_no_federation_port()
    {
        var service = _output.Named<V1Service>("dendrite");
        var port = Assert.Single(service.Spec.Ports);
        Assert.Equal(80, port.Port);
        Assert.Equal("http", port.TargetPort.Value);
        Assert.DoesNotContain(_output.All<V1Service>().SelectMany(s => s.Spec.Ports), p => p.Port == 8448);
    }

    [Fact]
    public void Probes_use_dendrites_monitor_paths_on_the_http_port()
    {
        var container = _output.Named<V1StatefulSet>("dendrite").Spec.Template.Spec.Containers.Single();
        Assert.Equal("/_dendrite/monitor/health", container.ReadinessProbe.HttpGet.Path);
        Assert.Equal("/_dendrite/monitor/up", container.LivenessProbe.HttpGet.Path);
        Assert.Equal("/_dendrite/monitor/up", container.StartupProbe.HttpGet.Path);
        foreach (var probe in new[] { container.ReadinessProbe, container.LivenessProbe, container.StartupProbe })
        {
            Assert.Equal("http", probe.HttpGet.Port.Value);
        }
    }

    [Fact]
    public void One_claim_template_per_model_volume_with_storage_class_and_size()
    {
        var claims = _output.Named<V1StatefulSet>("dendrite").Spec.VolumeClaimTemplates.ToDictionary(c => c.Metadata.Name);
        Assert.Equal(["jetstream", "logs", "media", "searchindex", "sqlite", "storage-keys"], claims.Keys.Order());
        foreach (var claim in claims.Values)
        {
            Assert.Equal("longhorn", claim.Spec.StorageClassName);
            Assert.Equal(["ReadWriteOnce"], claim.Spec.AccessModes);
        }

        Assert.Equal("2Gi", claims["media"].Spec.Resources.Requests["storage"].ToString());
        Assert.Equal("1Gi", claims["jetstream"].Spec.Resources.Requests["storage"].ToString());
        Assert.Equal("512Mi", claims["sqlite"].Spec.Resources.Requests["storage"].ToString());

        var mounts = _output.Named<V1StatefulSet>("dendrite").Spec.Template.Spec.Containers.Single().VolumeMounts.ToDictionary(m => m.Name);
        Assert.Equal(DendritePaths.JetStream, mounts["jetstream"].MountPath);
        Assert.Equal(DendritePaths.StorageKeys, mounts["storage-keys"].MountPath);
        Assert.True(mounts["storage-keys"].ReadOnlyProperty);
        Assert.Equal(DendritePaths.ConfigDirectory, mounts["config"].MountPath);
        Assert.True(mounts["config"].ReadOnlyProperty);
    }

    [Fact]
    public void Key_generation_is_a_guarded_init_container_on_the_persistent_keys_claim()
    {
        var pod = _output.Named<V1StatefulSet>("dendrite").Spec.Template.Spec;
        // After the release guard (BackupCronJobTests), the key step.
        Assert.Equal(["dendrite-release-guard", "dendrite-keygen"], pod.InitContainers.Select(c => c.Name));
        var init = pod.InitContainers[1];
        Assert.Equal("dendrite-keygen", init.Name);
        Assert.Equal("docker.io/matrixdotorg/dendrite-monolith:v0.15.2", init.Image);
        Assert.Equal(["/bin/sh"], init.Command);
        var script = init.Args[1];
        Assert.Contains("if [ -s \"$key\" ]", script, StringComparison.Ordinal);
        Assert.Contains($"key={DendritePaths.SigningKey}", script, StringComparison.Ordinal);

        var mount = Assert.Single(init.VolumeMounts);
        Assert.Equal(("storage-keys", DendritePaths.StorageKeys), (mount.Name, mount.MountPath));
        Assert.NotEqual(true, mount.ReadOnlyProperty);
        Assert.All(pod.Volumes ?? [], v => Assert.Null(v.EmptyDir));
        Assert.Contains(_output.Named<V1StatefulSet>("dendrite").Spec.VolumeClaimTemplates, c => c.Metadata.Name == "storage-keys");
    }

    [Fact]
    public void Config_secret_holds_the_renderer_output_for_the_cluster_and_it_validates()
    {
        var secret = _output.Named<V1Secret>("dendrite-config");
        var yaml = secret.StringData["dendrite.yaml"];

        // The local run's client URL (http://localhost:8008) is never published; without an ingress there is none.
        var settings = new DendriteSettings { ServerName = Publishing.ServerName };
        settings.Registration.SharedSecret = Publishing.RegistrationSecret;
        settings.Metrics = new MetricsSettings { Enabled = true, Username = "metrics", Password = Publishing.MetricsPassword };
        var expected = DendriteConfigRenderer.Render(settings, "Dendrite:");
        Assert.True(expected.Succeeded, string.Join('\n', expected.Findings));
        Assert.Equal(expected.Yaml, yaml);

        var volume = Assert.Single(_output.Named<V1StatefulSet>("dendrite").Spec.Template.Spec.Volumes, v => v.Name == "config");
        Assert.Equal("dendrite-config", volume.Secret.SecretName);
    }

    [Fact]
    public void No_secret_value_appears_outside_secrets()
    {
        Assert.DoesNotContain(_output.All<V1ConfigMap>(), c => (c.Data ?? new Dictionary<string, string>()).Values.Any(v => v.Contains(Publishing.RegistrationSecret, StringComparison.Ordinal)));
        foreach (var (file, text) in _output.Files.Where(f => !f.Key.EndsWith("-secret.yaml", StringComparison.Ordinal)))
        {
            Assert.False(text.Contains(Publishing.RegistrationSecret, StringComparison.Ordinal), $"{file} holds the registration secret");
        }
    }

    [Fact]
    public void Pod_template_carries_a_checksum_of_the_config()
    {
        var annotations = _output.Named<V1StatefulSet>("dendrite").Spec.Template.Metadata.Annotations;
        var secret = _output.Named<V1Secret>("dendrite-config");
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            Encoding.UTF8.GetBytes($"dendrite.yaml\n{secret.StringData["dendrite.yaml"]}")));
        Assert.Equal(expected, annotations["checksum/config"]);
    }

    [Fact]
    public void No_ingress_unless_a_host_is_configured() =>
        Assert.Empty(_output.All<V1Ingress>());

    [Fact]
    public async Task Two_publishes_of_the_same_inputs_are_byte_identical()
    {
        var again = await PublishedManifests.PublishAsync("--Dendrite:Kubernetes:StorageClass=longhorn", "--Dendrite:Kubernetes:VolumeSizes:jetstream=1Gi");
        Assert.Equal(_output.Files, again.Files);
    }
}
