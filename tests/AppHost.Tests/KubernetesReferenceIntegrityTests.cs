using k8s.Models;

namespace DendriteAspire.AppHost.Tests;

/// <summary>
/// What the API server and kustomize would refuse: missing required fields and dangling references. Checked over
/// every workload of the fullest output (Postgres, federation, ingress), not one hand-picked object.
/// </summary>
public class KubernetesReferenceIntegrityTests
{
    [Fact]
    public async Task Every_required_field_is_set_and_every_reference_resolves()
    {
        var output = await PublishedManifests.PublishAsync(
            "--Dendrite:Database:Provider=Postgres",
            "--Dendrite:Federation:Enabled=true",
            "--Dendrite:Kubernetes:Ingress:Host=matrix.family.example");

        var kustomization = output.Files["kustomization.yaml"];
        foreach (var line in kustomization.Split('\n').Where(l => l.StartsWith("- ", StringComparison.Ordinal)))
        {
            Assert.True(output.Files.ContainsKey(line[2..].Trim()), $"kustomization lists missing file {line}");
        }

        foreach (var resource in output.Objects.Cast<k8s.IKubernetesObject>())
        {
            Assert.False(string.IsNullOrEmpty(resource.ApiVersion));
            Assert.False(string.IsNullOrEmpty(resource.Kind));
            Assert.False(string.IsNullOrEmpty(((IMetadata<V1ObjectMeta>)resource).Metadata?.Name));
        }

        var secrets = output.All<V1Secret>().ToDictionary(s => s.Metadata.Name, s => s.StringData);
        var services = output.All<V1Service>().ToDictionary(s => s.Metadata.Name);
        var sets = output.All<V1StatefulSet>().ToList();
        Assert.Equal(2, sets.Count);

        foreach (var set in sets)
        {
            var headless = services[set.Spec.ServiceName];
            Assert.Equal("None", headless.Spec.ClusterIP);
            Assert.All(set.Spec.Selector.MatchLabels, label => Assert.Equal(label.Value, set.Spec.Template.Metadata.Labels[label.Key]));

            var pod = set.Spec.Template.Spec;
            var claims = (set.Spec.VolumeClaimTemplates ?? []).Select(c => c.Metadata.Name).ToHashSet();
            var volumes = (pod.Volumes ?? []).ToDictionary(v => v.Name);
            foreach (var container in pod.Containers.Concat(pod.InitContainers ?? []))
            {
                Assert.False(string.IsNullOrEmpty(container.Name));
                Assert.False(string.IsNullOrEmpty(container.Image));
                foreach (var mount in container.VolumeMounts ?? [])
                {
                    Assert.True(claims.Contains(mount.Name) || volumes.ContainsKey(mount.Name), $"{container.Name} mounts unknown volume {mount.Name}");
                }

                foreach (var reference in (container.Env ?? []).Select(e => e.ValueFrom?.SecretKeyRef).OfType<V1SecretKeySelector>())
                {
                    Assert.True(secrets.TryGetValue(reference.Name, out var data) && data.ContainsKey(reference.Key), $"{container.Name} refers to missing secret key {reference.Name}/{reference.Key}");
                }
            }

            foreach (var secretVolume in volumes.Values.Select(v => v.Secret).OfType<V1SecretVolumeSource>())
            {
                Assert.True(secrets.ContainsKey(secretVolume.SecretName), $"volume refers to missing secret {secretVolume.SecretName}");
                Assert.All(secretVolume.Items ?? [], item => Assert.True(secrets[secretVolume.SecretName].ContainsKey(item.Key)));
            }

            foreach (var service in services.Values.Where(s => s.Spec.Selector.SequenceEqual(set.Spec.Selector.MatchLabels)))
            {
                var portNames = pod.Containers.SelectMany(c => c.Ports ?? []).Select(p => p.Name).ToHashSet();
                Assert.All(service.Spec.Ports, port => Assert.Contains(port.TargetPort.Value, portNames));
            }
        }

        var deployments = output.All<V1Deployment>().ToList();
        Assert.Equal(["element", "onboarding"], deployments.Select(d => d.Metadata.Name).Order(StringComparer.Ordinal));
        var claimObjects = output.All<V1PersistentVolumeClaim>().Select(c => c.Metadata.Name).ToHashSet();
        var configMaps = output.All<V1ConfigMap>().ToDictionary(c => c.Metadata.Name, c => c.Data);
        foreach (var deployment in deployments)
        {
            Assert.All(deployment.Spec.Selector.MatchLabels, label => Assert.Equal(label.Value, deployment.Spec.Template.Metadata.Labels[label.Key]));
            var pod = deployment.Spec.Template.Spec;
            var volumes = (pod.Volumes ?? []).ToDictionary(v => v.Name);
            foreach (var container in pod.Containers.Concat(pod.InitContainers ?? []))
            {
                Assert.False(string.IsNullOrEmpty(container.Image));
                Assert.All(container.VolumeMounts ?? [], mount => Assert.True(volumes.ContainsKey(mount.Name), $"{container.Name} mounts unknown volume {mount.Name}"));
                foreach (var reference in (container.Env ?? []).Select(e => e.ValueFrom?.SecretKeyRef).OfType<V1SecretKeySelector>())
                {
                    Assert.True(secrets.TryGetValue(reference.Name, out var data) && data.ContainsKey(reference.Key), $"{container.Name} refers to missing secret key {reference.Name}/{reference.Key}");
                }
            }

            foreach (var volume in volumes.Values)
            {
                Assert.True(
                    volume.PersistentVolumeClaim is { } claim ? claimObjects.Contains(claim.ClaimName)
                    : volume.ConfigMap is { } map ? configMaps.TryGetValue(map.Name, out var data) && map.Items.All(i => data.ContainsKey(i.Key))
                    : volume.Secret is { } secret ? secrets.ContainsKey(secret.SecretName)
                    : volume.EmptyDir is not null,
                    $"{deployment.Metadata.Name} volume {volume.Name} refers to something that is not published");
            }

            var portNames = pod.Containers.SelectMany(c => c.Ports ?? []).Select(p => p.Name).ToHashSet();
            var service = services[deployment.Metadata.Name];
            Assert.Equal(deployment.Spec.Selector.MatchLabels, service.Spec.Selector);
            Assert.All(service.Spec.Ports, port => Assert.Contains(port.TargetPort.Value, portNames));
        }

        foreach (var path in output.All<V1Ingress>().SelectMany(i => i.Spec.Rules).SelectMany(r => r.Http.Paths))
        {
            var service = services[path.Backend.Service.Name];
            Assert.Contains(service.Spec.Ports, p => p.Port == path.Backend.Service.Port.Number);
        }
    }
}
