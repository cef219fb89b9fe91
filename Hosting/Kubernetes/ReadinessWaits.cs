using k8s.Models;

namespace DendriteAspire.Hosting.Kubernetes;

/// <summary>
/// The cluster form of <c>WaitFor</c>: a workload that waits for a resource until it is healthy (or started) gets
/// an init container that runs the resource's <see cref="ReadinessCommandAnnotation"/> against its Service until it
/// succeeds, so a cold start waits instead of crash-looping. The same command is the resource's own exec probes.
/// </summary>
internal static class ReadinessWaits
{
    private const string LocalHost = "127.0.0.1";
    private const int RetrySeconds = 2;

    /// <summary>One init container per resource <paramref name="waiter"/> waits for, in the model's order.</summary>
    public static List<V1Container> InitContainersFor(IResource waiter)
    {
        var containers = new List<V1Container>();
        foreach (var wait in waiter.Annotations.OfType<WaitAnnotation>().Where(w => w.WaitType is WaitType.WaitUntilHealthy or WaitType.WaitUntilStarted))
        {
            // A database is reached through its server; parameters and other non-containers have nothing to wait for.
            if (Workload(wait.Resource) is not { } target
                || target.Annotations.OfType<ReadinessCommandAnnotation>().LastOrDefault() is not { } readiness
                || containers.Any(c => c.Name == $"wait-for-{target.Name}"))
            {
                continue;
            }

            if (!target.TryGetContainerImageName(out var image))
            {
                throw new KubernetesPublishException($"Resource '{target.Name}' has no container image to check its readiness with.");
            }

            var endpoint = Endpoint(target, readiness);
            var check = readiness.Command(target.Name, ServicePorts.For(endpoint));
            containers.Add(new V1Container
            {
                Name = $"wait-for-{target.Name}",
                Image = image,
                ImagePullPolicy = "IfNotPresent",
                Command = ["/bin/sh", "-c"],
                Args =
                [
                    $"until {string.Join(' ', check.Select(Quote))}; do echo 'waiting for {target.Name}'; sleep {RetrySeconds}; done",
                ],
            });
        }

        return containers;
    }

    /// <summary>An exec probe of the given type from the resource's readiness command, checked inside its own pod.</summary>
    public static V1Probe? Probe(IResource resource, ProbeType type)
    {
        if (resource.Annotations.OfType<ReadinessCommandAnnotation>().LastOrDefault() is not { } readiness)
        {
            return null;
        }

        var command = readiness.Command(LocalHost, ServicePorts.ContainerPort(Endpoint(resource, readiness)));
        var exec = new V1ExecAction { Command = [.. command] };
        return type switch
        {
            // First start runs initdb; the start-up probe gives it five minutes before liveness may restart the pod.
            ProbeType.Startup => new V1Probe { Exec = exec, PeriodSeconds = 5, TimeoutSeconds = 5, FailureThreshold = 60 },
            ProbeType.Readiness => new V1Probe { Exec = exec, PeriodSeconds = 10, TimeoutSeconds = 5, FailureThreshold = 3 },
            ProbeType.Liveness => new V1Probe { Exec = exec, PeriodSeconds = 20, TimeoutSeconds = 5, FailureThreshold = 6 },
            _ => null,
        };
    }

    private static ContainerResource? Workload(IResource resource) => resource switch
    {
        ContainerResource container => container,
        IResourceWithParent child => Workload(child.Parent),
        _ => null,
    };

    private static EndpointAnnotation Endpoint(IResource resource, ReadinessCommandAnnotation readiness) =>
        resource.Annotations.OfType<EndpointAnnotation>().SingleOrDefault(e => e.Name == readiness.EndpointName)
        ?? throw new KubernetesPublishException($"Resource '{resource.Name}' checks readiness on endpoint '{readiness.EndpointName}', which it does not have.");

    private static string Quote(string argument) => "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
