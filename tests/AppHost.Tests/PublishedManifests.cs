using k8s;
using k8s.Models;

namespace DendriteAspire.AppHost.Tests;

/// <summary>A published kustomize directory, parsed back into typed objects.</summary>
public sealed class PublishedManifests
{
    private PublishedManifests(string directory, IReadOnlyDictionary<string, string> files, IReadOnlyList<object> objects)
    {
        Directory = directory;
        Files = files;
        Objects = objects;
    }

    public string Directory { get; }

    /// <summary>File name to text.</summary>
    public IReadOnlyDictionary<string, string> Files { get; }

    public IReadOnlyList<object> Objects { get; }

    internal static async Task<PublishedManifests> PublishAsync(params string[] args)
    {
        var (succeeded, directory) = await Publishing.KubernetesAsync(Publishing.NewOutputDirectory(), args);
        Assert.True(succeeded, "the Kubernetes publish step failed");

        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in System.IO.Directory.GetFiles(directory, "*.yaml"))
        {
            files[Path.GetFileName(path)] = await File.ReadAllTextAsync(path);
        }

        var objects = files
            .Where(f => f.Key != "kustomization.yaml")
            .SelectMany(f => KubernetesYaml.LoadAllFromString(f.Value, MonitoringTypes))
            .ToList();
        return new PublishedManifests(directory, files, objects);
    }

    /// <summary>The prometheus-operator kinds the publisher writes with monitoring on (not KubernetesClient models).</summary>
    private static readonly Dictionary<string, Type> MonitoringTypes = new(StringComparer.Ordinal)
    {
        ["monitoring.coreos.com/v1/ServiceMonitor"] = typeof(DendriteAspire.Hosting.Kubernetes.Monitoring.ServiceMonitor),
        ["monitoring.coreos.com/v1/PrometheusRule"] = typeof(DendriteAspire.Hosting.Kubernetes.Monitoring.PrometheusRule),
    };

    public IEnumerable<T> All<T>() => Objects.OfType<T>();

    public T Named<T>(string name) where T : IMetadata<V1ObjectMeta> =>
        Assert.Single(Objects.OfType<T>(), o => o.Metadata.Name == name);
}
