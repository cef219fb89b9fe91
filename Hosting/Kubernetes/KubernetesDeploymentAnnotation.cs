namespace DendriteAspire.Hosting.Kubernetes;

/// <summary>
/// Publishes a resource as a one-replica Deployment (strategy <c>Recreate</c>, as its claims are ReadWriteOnce)
/// with a Service, instead of a StatefulSet with a headless Service; its named volumes become standalone claims.
/// For workloads whose pods are interchangeable: Element Web and the onboarding service.
/// </summary>
public sealed class KubernetesDeploymentAnnotation : IResourceAnnotation;

/// <summary>Chooses how a resource is published to Kubernetes.</summary>
public static class KubernetesWorkloadExtensions
{
    /// <summary>Publishes the resource as a Deployment rather than a StatefulSet.</summary>
    /// <typeparam name="T">The resource type.</typeparam>
    /// <param name="builder">The resource builder.</param>
    /// <returns>The resource builder.</returns>
    /// <example>
    /// <code>
    /// builder.AddContainer("web", "nginx", "1.27").PublishAsKubernetesDeployment();
    /// </code>
    /// </example>
    public static IResourceBuilder<T> PublishAsKubernetesDeployment<T>(this IResourceBuilder<T> builder) where T : IResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithAnnotation(new KubernetesDeploymentAnnotation(), ResourceAnnotationMutationBehavior.Replace);
    }
}
