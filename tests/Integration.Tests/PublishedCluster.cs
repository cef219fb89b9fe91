using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.Publishing;
using Aspire.Hosting.Testing;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DendriteAspire.Integration.Tests;

/// <summary>
/// The Kubernetes objects the real AppHost publishes, read back as typed objects: what a cluster would be given, and
/// what <see cref="KubeletEmulation"/> runs.
/// </summary>
public sealed class PublishedCluster(IReadOnlyList<object> objects)
{
    public IReadOnlyList<object> Objects { get; } = objects;

    public IReadOnlyDictionary<string, IDictionary<string, string>> Secrets { get; } =
        objects.OfType<V1Secret>().ToDictionary(s => s.Metadata.Name, s => s.StringData);

    public IReadOnlyDictionary<string, IDictionary<string, string>> ConfigMaps { get; } =
        objects.OfType<V1ConfigMap>().ToDictionary(c => c.Metadata.Name, c => c.Data);

    public IReadOnlyList<V1Service> Services => [.. Objects.OfType<V1Service>()];

    public V1StatefulSet Workload(string name) => Assert.Single(Objects.OfType<V1StatefulSet>(), s => s.Metadata.Name == name);

    public V1Deployment Deployment(string name) => Assert.Single(Objects.OfType<V1Deployment>(), d => d.Metadata.Name == name);

    /// <summary>The Services that select pods with these labels: the names other pods reach them by.</summary>
    public IReadOnlyList<V1Service> ServicesFor(V1PodTemplateSpec pod) =>
    [
        .. Services.Where(s => s.Spec.Selector.All(l => pod.Metadata.Labels.TryGetValue(l.Key, out var v) && v == l.Value)),
    ];

    /// <summary>Publishes the real AppHost in-process (family.example, fixed secrets, plus <paramref name="settings"/>).</summary>
    public static async Task<PublishedCluster> PublishAsync(CancellationToken ct, params string[] settings)
    {
        var output = Directory.CreateTempSubdirectory("dendrite-pod-publish-").FullName;
        try
        {
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
                [
                    "--operation", "publish", "--step", "publish", "--output-path", output, "--Pipeline:ClearCache", "true",
                    "--Dendrite:ServerName=family.example",
                    "--Parameters:dendrite-registration-secret=published-pod-test-secret",
                    "--Parameters:dendrite-metrics-password=published-pod-test-metrics",
                    "--Parameters:postgres-password=published pod/test:pass",
                    .. settings,
                ],
                ct);
            builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(2));
            var succeeded = false;
            builder.Eventing.Subscribe<AfterPublishEvent>((_, _) =>
            {
                succeeded = true;
                return Task.CompletedTask;
            });
            await using (var app = await builder.BuildAsync(ct))
            {
                await app.RunAsync(ct);
            }

            Assert.True(succeeded, "the Kubernetes publish failed");
            var objects = Directory.GetFiles(output, "*.yaml")
                .Where(f => Path.GetFileName(f) != "kustomization.yaml")
                .SelectMany(f => KubernetesYaml.LoadAllFromString(File.ReadAllText(f, Encoding.UTF8)))
                .ToList();
            return new PublishedCluster(objects);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}
