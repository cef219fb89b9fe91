using Aspire.Hosting.Lifecycle;
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

        if (builder.ExecutionContext.IsRunMode)
        {
            return builder.CreateResourceBuilder(environment);
        }

        // Refuse settings a cluster can never change (a localhost server name) before the pipeline starts, so the
        // AppHost ends with the plain error lines and exit code 2 instead of a failed step's stack trace.
        builder.Eventing.Subscribe<BeforeStartEvent>((e, _) =>
        {
            if (environment.PublishStepRuns(builder.Configuration))
            {
                ClusterIdentityRules.Check(e.Model);
            }

            return Task.CompletedTask;
        });

        return builder.AddResource(environment).ExcludeFromManifest();
    }
}
