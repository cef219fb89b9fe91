using Microsoft.Extensions.Configuration;

namespace DendriteAspire.Hosting.Kubernetes;

/// <summary>Adds a Kubernetes compute environment that publishes the model as manifests for a home cluster.</summary>
public static class KubernetesEnvironmentExtensions
{
    /// <summary>
    /// Adds the environment, configured from <c>Dendrite:Kubernetes</c>. In run mode it stays out of the model
    /// (nothing to start, nothing in the dashboard); <c>aspire publish -o k8s</c> runs its step.
    /// </summary>
    /// <example>
    /// <code>
    /// builder.AddKubernetesEnvironment("k8s");
    /// </code>
    /// </example>
    public static IResourceBuilder<KubernetesEnvironmentResource> AddKubernetesEnvironment(this IDistributedApplicationBuilder builder, string name)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);

        var options = builder.Configuration.GetSection(KubernetesPublishOptions.SectionName).Get<KubernetesPublishOptions>() ?? new KubernetesPublishOptions();
        var environment = new KubernetesEnvironmentResource(name, options, DendriteHostOptions.From(builder.Configuration).VolumePrefix);

        return builder.ExecutionContext.IsRunMode
            ? builder.CreateResourceBuilder(environment)
            : builder.AddResource(environment).ExcludeFromManifest();
    }
}
