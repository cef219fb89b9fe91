using Aspire.Hosting.Lifecycle;
using DendriteAspire.Hosting.Configuration;

namespace DendriteAspire.Hosting.Kubernetes;

/// <summary>Adds a Kubernetes compute environment that publishes the model as manifests for a home cluster.</summary>
public static class KubernetesEnvironmentExtensions
{
    /// <summary>
    /// Adds the environment. In run mode it stays out of the model (nothing to start, nothing in the dashboard);
    /// <c>aspire publish -o k8s</c> runs its step. Before the pipeline starts, every resource's
    /// <see cref="KubernetesPublishCheckAnnotation"/> runs, so settings a cluster can never take stop the AppHost with
    /// the plain error lines and exit code 2 instead of a failed step's stack trace.
    /// </summary>
    /// <param name="builder">The app model builder.</param>
    /// <param name="name">The environment's name; its step is <c>publish-&lt;name&gt;</c>.</param>
    /// <param name="options">Namespace, storage, sizes, resources and ingress (<c>Dendrite:Kubernetes</c>).</param>
    /// <param name="volumePrefix">The prefix of the model's volume names, stripped to name the claims (<c>dendriteaspire-media</c> is <c>media</c>).</param>
    /// <returns>The environment's resource builder.</returns>
    /// <example>
    /// <code>
    /// builder.AddKubernetesEnvironment("k8s", settings.Kubernetes, settings.Dendrite.VolumePrefix);
    /// </code>
    /// </example>
    public static IResourceBuilder<KubernetesEnvironmentResource> AddKubernetesEnvironment(
        this IDistributedApplicationBuilder builder, [ResourceName] string name, KubernetesPublishOptions options, string volumePrefix)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(volumePrefix);

        var environment = new KubernetesEnvironmentResource(name, options, volumePrefix);

        if (builder.ExecutionContext.IsRunMode)
        {
            return builder.CreateResourceBuilder(environment);
        }

        builder.Eventing.Subscribe<BeforeStartEvent>((e, _) =>
        {
            if (environment.PublishStepRuns(ConfiguredValues.PipelineStep(e.Services)))
            {
                KubernetesManifestWriter.Check(e.Model);
            }

            return Task.CompletedTask;
        });

        return builder.AddResource(environment).ExcludeFromManifest();
    }
}
