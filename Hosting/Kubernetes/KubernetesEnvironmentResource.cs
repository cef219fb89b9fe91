using Aspire.Hosting.Pipelines;
using DendriteAspire.Hosting.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DendriteAspire.Hosting.Kubernetes;

/// <summary>
/// A home cluster as a compute environment. Its <c>publish-&lt;name&gt;</c> step (after <c>publish-prereq</c>,
/// before <c>publish</c>) writes a kustomize directory of StatefulSets, Services, Secrets and an optional Ingress
/// built from the same resources the local run starts.
/// </summary>
public sealed partial class KubernetesEnvironmentResource : Resource, IComputeEnvironmentResource
{
    /// <summary>Creates the environment; its publish step is registered at once.</summary>
    /// <param name="name">The environment's name; its step is <c>publish-&lt;name&gt;</c>.</param>
    /// <param name="options">Namespace, storage, sizes, resources and ingress.</param>
    /// <param name="volumePrefix">The prefix of the model's volume names, stripped to name the claims.</param>
    public KubernetesEnvironmentResource(string name, KubernetesPublishOptions options, string volumePrefix) : base(name)
    {
        Options = options;
        VolumePrefix = volumePrefix;
        Annotations.Add(new PipelineStepAnnotation(_ =>
        {
            var step = new PipelineStep
            {
                Name = PublishStepName,
                Description = $"Writes Kubernetes manifests for '{name}' (kubectl apply -k <output>).",
                Action = PublishAsync,
            };
            step.DependsOn(WellKnownPipelineSteps.PublishPrereq);
            step.RequiredBy(WellKnownPipelineSteps.Publish);
            return step;
        }));
    }

    /// <summary>The step name: <c>publish-&lt;environment name&gt;</c>.</summary>
    public string PublishStepName => $"publish-{Name}";

    /// <summary>Whether this run executes the publish step: <c>--step</c> names it or <c>publish</c>, or no step is named.</summary>
    internal bool PublishStepRuns(string? step)
    {
        return string.IsNullOrEmpty(step) || step == WellKnownPipelineSteps.Publish || step == PublishStepName;
    }

    /// <summary>What the cluster decides: namespace, storage, sizes, resources and ingress.</summary>
    public KubernetesPublishOptions Options { get; }

    /// <summary>The prefix stripped from local volume names to name the claims.</summary>
    public string VolumePrefix { get; }

    /// <summary>Inside the cluster a resource is reached through its Service, named after it.</summary>
    /// <param name="endpointReference">The endpoint another resource refers to.</param>
    /// <returns>The Service name, which is the resource name.</returns>
    public ReferenceExpression GetHostAddressExpression(EndpointReference endpointReference)
    {
        ArgumentNullException.ThrowIfNull(endpointReference);
        return ReferenceExpression.Create($"{endpointReference.Resource.Name}");
    }

    private async Task PublishAsync(PipelineStepContext context)
    {
        var outputDirectory = context.Services.GetRequiredService<IPipelineOutputService>().GetOutputDirectory();
        try
        {
            KubernetesManifestWriter.Check(context.Model);
            var objects = await KubernetesManifestWriter.BuildAsync(
                context.Model,
                Options,
                VolumePrefix,
                ConfiguredValues.Parameters(context.Services),
                context.ExecutionContext,
                context.CancellationToken).ConfigureAwait(false);
            await KubernetesManifestWriter.WriteAsync(outputDirectory, objects, Options.Namespace, context.CancellationToken).ConfigureAwait(false);
            LogPublished(context.Logger, objects.Count, outputDirectory);
        }
        catch (DendriteSettingsException exception)
        {
            // The same exit code and lines as the AppHost and ConfigRenderer give for bad settings; nothing was written.
            Environment.ExitCode = DendriteAppHost.InvalidSettingsExitCode;
            foreach (var error in exception.Errors)
            {
                LogInvalidSetting(context.Logger, error.ToString());
            }

            throw;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // 'dotnet run -- --operation publish' would otherwise exit 0 after a failed step.
            Environment.ExitCode = 1;
            LogFailed(context.Logger, exception.Message);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Wrote {Count} Kubernetes objects to {Directory}; apply them with 'kubectl apply -k {Directory}'.")]
    private static partial void LogPublished(ILogger logger, int count, string directory);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Error}")]
    private static partial void LogInvalidSetting(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Kubernetes publish failed: {Message}")]
    private static partial void LogFailed(ILogger logger, string message);
}
