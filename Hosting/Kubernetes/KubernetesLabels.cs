namespace DendriteAspire.Hosting.Kubernetes;

/// <summary>The recommended <c>app.kubernetes.io/*</c> labels every published object carries.</summary>
internal static class KubernetesLabels
{
    public const string PartOf = "dendrite-aspire";

    /// <summary>The label that names the workload (the model resource) a pod belongs to.</summary>
    public const string NameLabel = "app.kubernetes.io/name";

    /// <summary>Labels that select one workload's pods; they never change between publishes.</summary>
    public static SortedDictionary<string, string> Selector(string workload) => new(StringComparer.Ordinal)
    {
        [NameLabel] = workload,
        ["app.kubernetes.io/part-of"] = PartOf,
    };

    /// <summary>
    /// A required pod affinity to the pods of each of <paramref name="workloads"/> on the same node: what a pod needs
    /// to mount their ReadWriteOnce claims (and read a SQLite WAL index in their node's shared memory).
    /// </summary>
    public static k8s.Models.V1Affinity BesidePodOf(params string[] workloads) => new()
    {
        PodAffinity = new k8s.Models.V1PodAffinity
        {
            RequiredDuringSchedulingIgnoredDuringExecution =
            [
                .. workloads.Select(workload => new k8s.Models.V1PodAffinityTerm
                {
                    LabelSelector = new k8s.Models.V1LabelSelector { MatchLabels = Selector(workload) },
                    TopologyKey = "kubernetes.io/hostname",
                }),
            ],
        },
    };

    /// <summary>
    /// The tag of an image reference, the <c>app.kubernetes.io/version</c> of what runs it: <c>v0.15.2</c> from
    /// <c>docker.io/matrixdotorg/dendrite-monolith:v0.15.2</c> (with or without a digest after it); none for a digest
    /// alone or no tag.
    /// </summary>
    public static string? ImageTag(string image)
    {
        var name = image.Split('@')[0];
        var colon = name.LastIndexOf(':');
        return colon > name.LastIndexOf('/') ? name[(colon + 1)..] : null;
    }

    /// <summary>The full set for objects of one workload.</summary>
    public static SortedDictionary<string, string> For(string workload, string? version = null)
    {
        var labels = Selector(workload);
        labels["app.kubernetes.io/instance"] = workload;
        labels["app.kubernetes.io/managed-by"] = PartOf;
        if (!string.IsNullOrEmpty(version))
        {
            labels["app.kubernetes.io/version"] = version;
        }

        return labels;
    }
}
