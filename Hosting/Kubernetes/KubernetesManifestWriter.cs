using k8s;
using k8s.Models;

namespace DendriteAspire.Hosting.Kubernetes;

/// <summary>
/// The body of the <c>publish-&lt;env&gt;</c> step: builds every object from the model in memory, then writes one
/// object per file plus <c>kustomization.yaml</c>. Nothing is written when any part fails.
/// </summary>
internal static class KubernetesManifestWriter
{
    public const string KustomizationFileName = "kustomization.yaml";

    public static async Task<IReadOnlyList<PublishedObject>> BuildAsync(
        DistributedApplicationModel model,
        KubernetesPublishOptions options,
        string volumePrefix,
        Func<string, string?> configuredParameter,
        DistributedApplicationExecutionContext executionContext,
        CancellationToken cancellationToken)
    {
        var values = new ClusterValueResolver(configuredParameter);
        var computeResources = model.GetComputeResources().Where(r => r is ContainerResource or ProjectResource).ToList();
        var initSteps = computeResources.ToDictionary(r => r, InitStepsOf);
        var runOnlyAsInit = initSteps.Values.SelectMany(steps => steps).ToHashSet<IResource>();

        var objects = new List<PublishedObject> { new("namespace.yaml", Namespace(options)) };
        foreach (var resource in computeResources.Where(r => !runOnlyAsInit.Contains(r)))
        {
            var workload = new WorkloadManifests(resource, initSteps[resource], options, volumePrefix, values, executionContext);
            var workloadObjects = await workload.BuildAsync(cancellationToken).ConfigureAwait(false);
            objects.AddRange(workloadObjects.Select(o => o with { Owner = resource }));
            foreach (var contribution in resource.Annotations.OfType<KubernetesObjectsAnnotation>())
            {
                var context = new KubernetesObjectsContext(resource, options, workloadObjects, values, cancellationToken);
                await contribution.Callback(context).ConfigureAwait(false);
                objects.AddRange(context.Added);
            }

            if (IngressManifest.For(resource, options) is { } ingress)
            {
                objects.Add(ingress);
            }
        }

        PodSecurity.Apply(objects, model);
        return objects;
    }

    /// <summary>Runs every resource's <see cref="KubernetesPublishCheckAnnotation"/>; the first that fails throws.</summary>
    public static void Check(DistributedApplicationModel model)
    {
        foreach (var check in model.Resources.SelectMany(r => r.Annotations.OfType<KubernetesPublishCheckAnnotation>()))
        {
            check.Check();
        }
    }

    public static async Task WriteAsync(string directory, IReadOnlyList<PublishedObject> objects, string @namespace, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        foreach (var published in objects)
        {
            await File.WriteAllTextAsync(Path.Combine(directory, published.FileName), KubernetesYaml.Serialize(published.Object).TrimEnd() + "\n", cancellationToken).ConfigureAwait(false);
        }

        var kustomization = new Kustomization { Namespace = @namespace, Resources = [.. objects.Select(o => o.FileName)] };
        await File.WriteAllTextAsync(Path.Combine(directory, KustomizationFileName), kustomization.ToYaml(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Containers this resource waits to complete run as its init containers, in order, on its volumes.</summary>
    private static List<ContainerResource> InitStepsOf(IResource resource) =>
        [.. resource.Annotations.OfType<WaitAnnotation>()
            .Where(wait => wait.WaitType == WaitType.WaitForCompletion)
            .Select(wait => wait.Resource)
            .OfType<ContainerResource>()];

    private static V1Namespace Namespace(KubernetesPublishOptions options) => new()
    {
        ApiVersion = "v1",
        Kind = "Namespace",
        Metadata = new V1ObjectMeta { Name = options.Namespace, Labels = KubernetesLabels.For(options.Namespace) },
    };
}
