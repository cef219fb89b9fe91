namespace DendriteAspire.Hosting.Kubernetes;

/// <summary>
/// What a home cluster decides: namespace, storage, sizes, resources and the optional ingress. Bound from the
/// <c>Dendrite:Kubernetes</c> configuration section by <see cref="Configuration.DendriteConfiguration"/>, or made in code.
/// </summary>
public sealed class KubernetesPublishOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Dendrite:Kubernetes";

    /// <summary>The namespace every object goes in.</summary>
    public string Namespace { get; set; } = "dendrite";

    /// <summary>The storage class of every claim (the origin used <c>longhorn</c>); unset means the cluster default.</summary>
    public string? StorageClass { get; set; }

    /// <summary>Claim sizes by claim name (<c>media</c>, <c>jetstream</c>, ..., <c>data</c> for Postgres).</summary>
    public Dictionary<string, string> VolumeSizes { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Requests and limits by workload name (<c>dendrite</c>, <c>postgres</c>, <c>element</c>, <c>onboarding</c>).</summary>
    public Dictionary<string, WorkloadResources> Resources { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Images for workloads that are .NET projects rather than containers, by workload name (<c>Onboarding</c>):
    /// build them with <c>dotnet publish -t:PublishContainer</c> and push them where the cluster pulls from.
    /// </summary>
    public Dictionary<string, string> Images { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The public entry point; published only when <see cref="IngressOptions.Host"/> is set.</summary>
    public IngressOptions Ingress { get; set; } = new();

    /// <summary>ServiceMonitors, alerts and a Grafana dashboard for kube-prometheus-stack (off by default).</summary>
    public Monitoring.MonitoringOptions Monitoring { get; set; } = new();

    internal static readonly IReadOnlyDictionary<string, string> DefaultVolumeSizes =
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["media"] = "2Gi", ["data"] = "2Gi" };

    internal const string DefaultVolumeSize = "512Mi";

    internal string VolumeSize(string claimName) =>
        VolumeSizes.TryGetValue(claimName, out var size) ? size
        : DefaultVolumeSizes.TryGetValue(claimName, out var fallback) ? fallback
        : DefaultVolumeSize;

    /// <summary>
    /// Defaults from measurement (bench/RESULTS.md, "Sizing": the method and the figures): Dendrite and Postgres under a
    /// 20-person family syncing with a year of history, during a Slack import and a backup; Element Web's nginx and the
    /// onboarding service idle and under page loads. No CPU limits: bursts (an import, a backup) borrow the node's idle
    /// CPU. A <c>Resources:&lt;workload&gt;</c> setting replaces the whole entry.
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, WorkloadResources> MeasuredDefaults =
        new Dictionary<string, WorkloadResources>(StringComparer.OrdinalIgnoreCase)
        {
            // Memory request: the working set measured with a year of history and photos (up to 364 MiB) x 1.4. The
            // limit is Dendrite's cache cap (global.cache.max_size_estimated, 1gb) plus the working set, not the
            // measured peak, so a cache that fills over months is not killed. bench/RESULTS.md, "Sizing".
            ["dendrite"] = new() { RequestsCpu = "400m", RequestsMemory = "512Mi", LimitsMemory = "2Gi" },
            ["postgres"] = new() { RequestsCpu = "900m", RequestsMemory = "448Mi", LimitsMemory = "1Gi" },
            ["element"] = new() { RequestsCpu = "10m", RequestsMemory = "32Mi", LimitsMemory = "128Mi" },
            // 20 relatives joining at once: 75 MiB working set.
            ["onboarding"] = new() { RequestsCpu = "50m", RequestsMemory = "128Mi", LimitsMemory = "256Mi" },
        };

    internal WorkloadResources ResourcesFor(string workload) =>
        Resources.TryGetValue(workload, out var resources) ? resources
        : MeasuredDefaults.TryGetValue(workload, out var measured) ? measured
        : new WorkloadResources();
}

/// <summary>Requests and limits for one workload's main container.</summary>
public sealed class WorkloadResources
{
    /// <summary>The CPU request, e.g. <c>100m</c>.</summary>
    public string RequestsCpu { get; set; } = "100m";
    /// <summary>The memory request, e.g. <c>256Mi</c>.</summary>
    public string RequestsMemory { get; set; } = "256Mi";
    /// <summary>The CPU limit; unset means none.</summary>
    public string? LimitsCpu { get; set; }
    /// <summary>The memory limit, e.g. <c>2Gi</c>.</summary>
    public string LimitsMemory { get; set; } = "2Gi";
}

/// <summary>The optional Ingress in front of the homeserver.</summary>
public sealed class IngressOptions
{
    /// <summary>The public host name, e.g. <c>matrix.family.example</c>.</summary>
    public string? Host { get; set; }

    /// <summary>
    /// A host of Element Web's own, e.g. <c>chat.family.example</c>; unset puts it at <c>/</c> on <see cref="Host"/>.
    /// Bound into the resources' <see cref="PublicHosts"/>, which carry it to the Ingress rules.
    /// </summary>
    public string? ClientHost { get; set; }

    /// <summary>
    /// A host of the onboarding service's own, e.g. <c>join.family.example</c>; unset puts its paths on <see cref="Host"/>.
    /// Bound into the resources' <see cref="PublicHosts"/>, which carry it to the Ingress rules.
    /// </summary>
    public string? JoinHost { get; set; }

    /// <summary>The ingress class, e.g. <c>traefik</c> or <c>nginx</c>; unset means the cluster default.</summary>
    public string? ClassName { get; set; }

    /// <summary>The TLS Secret for <see cref="Host"/> (for example one cert-manager fills).</summary>
    public string? TlsSecretName { get; set; }

    /// <summary>Annotations, e.g. <c>cert-manager.io/cluster-issuer</c>.</summary>
    public Dictionary<string, string> Annotations { get; set; } = new(StringComparer.Ordinal);
}
