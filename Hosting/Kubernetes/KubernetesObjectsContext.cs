using k8s;
using k8s.Models;

namespace DendriteAspire.Hosting.Kubernetes;

/// <summary>
/// What a <see cref="KubernetesObjectsAnnotation"/> callback gets: its resource, the cluster's options, the workload
/// already built for it, the cluster's view of model values, and a place to add objects.
/// </summary>
public sealed class KubernetesObjectsContext
{
    private readonly ClusterValueResolver _values;
    private readonly List<PublishedObject> _added = [];

    internal KubernetesObjectsContext(IResource resource, KubernetesPublishOptions options, IReadOnlyList<PublishedObject> workload, ClusterValueResolver values, CancellationToken cancellationToken)
    {
        Resource = resource;
        Options = options;
        Workload = [.. workload.Select(o => o.Object)];
        _values = values;
        CancellationToken = cancellationToken;
    }

    /// <summary>The resource the callback belongs to.</summary>
    public IResource Resource { get; }

    /// <summary>Namespace, storage, resources and ingress of the cluster.</summary>
    public KubernetesPublishOptions Options { get; }

    /// <summary>The objects built for the resource: its StatefulSet or Deployment, Services, Secrets and claims.</summary>
    public IReadOnlyList<IKubernetesObject> Workload { get; }

    /// <summary>Cancelled when the publish is.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The resource's own container in its workload's pod (named after the resource).</summary>
    /// <returns>The container; an exception when the workload runs none of that name.</returns>
    public V1Container MainContainer() =>
        Workload.Select(o => PodSecurity.PodOf(o).Pod).OfType<V1PodSpec>()
            .SelectMany(pod => pod.Containers ?? [])
            .FirstOrDefault(c => c.Name == Resource.Name)
        ?? throw new KubernetesPublishException($"Resource '{Resource.Name}' has no container of its own in its workload.");

    /// <summary>A model value (a parameter, an endpoint, an expression) as the cluster sees it.</summary>
    /// <param name="value">The value from the model.</param>
    /// <returns>Its text; a secret's text too, so put it only into a Secret.</returns>
    public async Task<string> ResolveAsync(object? value) =>
        (await _values.ResolveAsync(value, CancellationToken).ConfigureAwait(false)).Text;

    /// <summary>The recommended labels for an object of the workload <paramref name="workload"/>.</summary>
    /// <param name="workload">The workload's name, e.g. <c>dendrite-bootstrap-admin</c>.</param>
    /// <param name="version">The version label, e.g. the image tag; none when null.</param>
    /// <returns>A new, sorted label set.</returns>
    public static SortedDictionary<string, string> Labels(string workload, string? version = null) => KubernetesLabels.For(workload, version);

    /// <summary>
    /// Adds an object, written to <paramref name="fileName"/> and listed in the kustomization. A workload among them
    /// (a Job, say) runs as this resource's cluster user (<see cref="ClusterUserAnnotation"/>): its pod's security
    /// context is decided at the end of the publish, in one place, and any set here is replaced.
    /// </summary>
    /// <param name="fileName">The file name, e.g. <c>dendrite-bootstrap-admin-job.yaml</c>.</param>
    /// <param name="kubernetesObject">A typed object such as <see cref="V1Job"/>.</param>
    public void Add(string fileName, IKubernetesObject kubernetesObject)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        ArgumentNullException.ThrowIfNull(kubernetesObject);
        _added.Add(new PublishedObject(fileName, kubernetesObject, Resource));
    }

    internal IReadOnlyList<PublishedObject> Added => _added;

    internal ClusterValueResolver Values => _values;
}

/// <summary>Lets a resource contribute to the Kubernetes output and check its settings before a publish.</summary>
public static class KubernetesContributionExtensions
{
    /// <summary>Adds objects of the resource's own to the Kubernetes output, or adjusts its workload.</summary>
    /// <typeparam name="T">The resource type.</typeparam>
    /// <param name="builder">The resource builder.</param>
    /// <param name="callback">Called once per publish, after the resource's workload is built.</param>
    /// <returns>The resource builder.</returns>
    /// <example>
    /// <code>
    /// builder.AddContainer("web", "nginx", "1.27").WithKubernetesObjects(context =>
    /// {
    ///     context.Add("web-config-configmap.yaml", new V1ConfigMap { ... });
    ///     return Task.CompletedTask;
    /// });
    /// </code>
    /// </example>
    public static IResourceBuilder<T> WithKubernetesObjects<T>(this IResourceBuilder<T> builder, Func<KubernetesObjectsContext, Task> callback) where T : IResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(callback);
        return builder.WithAnnotation(new KubernetesObjectsAnnotation(callback), ResourceAnnotationMutationBehavior.Append);
    }

    /// <summary>Adds a rule the resource's settings must meet before it is published to a cluster.</summary>
    /// <typeparam name="T">The resource type.</typeparam>
    /// <param name="builder">The resource builder.</param>
    /// <param name="check">Throws <see cref="DendriteSettingsException"/> naming each setting to change.</param>
    /// <returns>The resource builder.</returns>
    /// <example>
    /// <code>
    /// dendrite.WithKubernetesPublishCheck(() => ClusterIdentityRules.Check(dendrite.Resource));
    /// </code>
    /// </example>
    public static IResourceBuilder<T> WithKubernetesPublishCheck<T>(this IResourceBuilder<T> builder, Action check) where T : IResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(check);
        return builder.WithAnnotation(new KubernetesPublishCheckAnnotation(check), ResourceAnnotationMutationBehavior.Append);
    }
}
