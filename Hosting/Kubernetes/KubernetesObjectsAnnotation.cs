namespace DendriteAspire.Hosting.Kubernetes;

/// <summary>
/// A resource's own contribution to the Kubernetes output, beyond the workload the publisher derives from its
/// annotations: extra objects (a bootstrap Job, a CronJob, a Secret they read) or a change to its own workload (an
/// environment variable only the cluster needs). The publisher calls every such callback right after it has built
/// the resource's workload and before its Ingress; it never needs to know the resource's type.
/// </summary>
/// <param name="callback">Called once per publish with the resource's <see cref="KubernetesObjectsContext"/>.</param>
public sealed class KubernetesObjectsAnnotation(Func<KubernetesObjectsContext, Task> callback) : IResourceAnnotation
{
    /// <summary>The contribution.</summary>
    public Func<KubernetesObjectsContext, Task> Callback { get; } = callback ?? throw new ArgumentNullException(nameof(callback));
}

/// <summary>
/// Rules a resource's settings must meet before it can be published to a cluster (a server name that is not
/// <c>localhost</c>, ...). The Kubernetes environment runs every check before the pipeline starts and again before it
/// builds anything; a check throws <see cref="DendriteSettingsException"/>, and nothing is written.
/// </summary>
/// <param name="check">Throws when the resource cannot be published as configured.</param>
public sealed class KubernetesPublishCheckAnnotation(Action check) : IResourceAnnotation
{
    /// <summary>The check.</summary>
    public Action Check { get; } = check ?? throw new ArgumentNullException(nameof(check));
}
