using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using k8s.Models;

namespace DendriteAspire.Hosting.Kubernetes;

/// <summary>
/// Turns one compute resource of the model (a container, or a .NET project with an image named in
/// <c>Images</c>) into a StatefulSet with a headless Service (or, with <see cref="KubernetesDeploymentAnnotation"/>, a
/// Deployment with standalone claims), a client Service, a Secret or ConfigMap for its rendered config, a Secret for
/// its secret environment, and the init containers of the steps it waits to complete.
/// Everything is read from the resource's annotations; nothing is restated.
/// </summary>
internal sealed class WorkloadManifests(
    IResource resource,
    IReadOnlyList<ContainerResource> initSteps,
    KubernetesPublishOptions options,
    string volumePrefix,
    ClusterValueResolver values,
    DistributedApplicationExecutionContext executionContext)
{
    private const string ConfigVolumeName = "config";
    private const string ConfigChecksumAnnotation = "checksum/config";

    /// <summary>
    /// The checksum of the workload's secret environment (<c>&lt;name&gt;-env</c>): the Secret is read only when the pod
    /// starts, so a rotated value (the invite secret, say) must change the pod template to reach a running pod.
    /// </summary>
    private const string SecretEnvironmentChecksumAnnotation = "checksum/secret-env";
    private const int ConfigFileMode = 0b100_100_000; // 0440
    private const int PublicConfigFileMode = 0b100_100_100; // 0444

    private readonly string _name = resource.Name;
    private readonly List<PublishedObject> _objects = [];
    private readonly SortedDictionary<string, V1PersistentVolumeClaim> _claims = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, string> _secretEnvironment = new(StringComparer.Ordinal);

    public string HeadlessServiceName => $"{_name}-headless";

    private string SecretEnvironmentName => SecretEnvironmentNameFor(_name);

    /// <summary>The Secret a workload's secret environment variables come from, one key per variable: <c>onboarding-env</c>.</summary>
    public static string SecretEnvironmentNameFor(string workload) => $"{workload}-env";

    public async Task<IReadOnlyList<PublishedObject>> BuildAsync(CancellationToken cancellationToken)
    {
        var endpoints = resource.Annotations.OfType<EndpointAnnotation>().ToList();
        var (configVolumes, configMounts, checksum) = await RenderedConfigAsync(cancellationToken).ConfigureAwait(false);

        var main = await ContainerAsync(resource, _name, cancellationToken).ConfigureAwait(false);
        main.Ports = [.. endpoints.Select(e => new V1ContainerPort { Name = e.Name, ContainerPort = ServicePorts.ContainerPort(e), Protocol = "TCP" })];
        main.VolumeMounts = [.. main.VolumeMounts ?? [], .. configMounts];
        main.StartupProbe = Probe(ProbeType.Startup);
        main.ReadinessProbe = Probe(ProbeType.Readiness);
        main.LivenessProbe = Probe(ProbeType.Liveness);
        main.Resources = Resources(options.ResourcesFor(_name));

        var initContainers = new List<V1Container>();
        foreach (var step in initSteps)
        {
            initContainers.Add(await ContainerAsync(step, step.Name, cancellationToken).ConfigureAwait(false));
        }

        initContainers.AddRange(ReadinessWaits.InitContainersFor(resource));

        var podAnnotations = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (checksum is not null)
        {
            podAnnotations[ConfigChecksumAnnotation] = checksum;
        }

        if (_secretEnvironment.Count > 0)
        {
            podAnnotations[SecretEnvironmentChecksumAnnotation] = Checksum(_secretEnvironment);
        }

        var labels = KubernetesLabels.For(_name, KubernetesLabels.ImageTag(main.Image));
        var pod = new V1PodTemplateSpec
        {
            Metadata = new V1ObjectMeta { Labels = labels, Annotations = podAnnotations.Count > 0 ? podAnnotations : null },
            Spec = new V1PodSpec
            {
                InitContainers = initContainers.Count > 0 ? initContainers : null,
                Containers = [main],
                Volumes = configVolumes.Count > 0 ? configVolumes : null,
            },
        };

        if (resource.HasAnnotationOfType<KubernetesDeploymentAnnotation>())
        {
            return Deployment(pod, labels, endpoints);
        }

        var statefulSet = new V1StatefulSet
        {
            ApiVersion = "apps/v1",
            Kind = "StatefulSet",
            Metadata = Metadata(_name, labels),
            Spec = new V1StatefulSetSpec
            {
                Replicas = 1,
                ServiceName = HeadlessServiceName,
                Selector = new V1LabelSelector { MatchLabels = KubernetesLabels.Selector(_name) },
                Template = pod,
                VolumeClaimTemplates = _claims.Count > 0 ? [.. _claims.Values] : null,
            },
        };

        _objects.Add(new($"{_name}-statefulset.yaml", statefulSet));
        _objects.Add(new($"{_name}-headless-service.yaml", Service(HeadlessServiceName, endpoints, headless: true)));
        _objects.Add(new($"{_name}-service.yaml", Service(_name, endpoints, headless: false)));
        if (_secretEnvironment.Count > 0)
        {
            _objects.Add(new($"{_name}-env-secret.yaml", Secret(SecretEnvironmentName, _secretEnvironment)));
        }

        return _objects;
    }

    /// <summary>
    /// A one-replica Deployment: pods are replaced, never two at once (<c>Recreate</c>), since their claims are
    /// ReadWriteOnce; each claim is an object of its own.
    /// </summary>
    private List<PublishedObject> Deployment(V1PodTemplateSpec pod, IDictionary<string, string> labels, IReadOnlyList<EndpointAnnotation> endpoints)
    {
        pod.Spec.Volumes = [.. pod.Spec.Volumes ?? [], .. _claims.Keys.Select(claim => new V1Volume
        {
            Name = claim,
            PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = ClaimObjectName(claim) },
        })];
        if (pod.Spec.Volumes.Count == 0)
        {
            pod.Spec.Volumes = null;
        }

        var deployment = new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = Metadata(_name, labels),
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                Strategy = new V1DeploymentStrategy { Type = "Recreate" },
                Selector = new V1LabelSelector { MatchLabels = KubernetesLabels.Selector(_name) },
                Template = pod,
            },
        };

        _objects.Add(new($"{_name}-deployment.yaml", deployment));
        foreach (var (claimName, claim) in _claims)
        {
            claim.ApiVersion = "v1";
            claim.Kind = "PersistentVolumeClaim";
            claim.Metadata.Name = ClaimObjectName(claimName);
            claim.Metadata.NamespaceProperty = options.Namespace;
            _objects.Add(new($"{ClaimObjectName(claimName)}-claim.yaml", claim));
        }

        _objects.Add(new($"{_name}-service.yaml", Service(_name, endpoints, headless: false)));
        if (_secretEnvironment.Count > 0)
        {
            _objects.Add(new($"{_name}-env-secret.yaml", Secret(SecretEnvironmentName, _secretEnvironment)));
        }

        return _objects;
    }

    /// <summary>A standalone claim is named after its workload: <c>onboarding-data</c>.</summary>
    private string ClaimObjectName(string claim) => $"{_name}-{claim}";

    /// <summary>The standalone claim object a Deployment's named volume <paramref name="source"/> becomes: <c>onboarding-data</c>.</summary>
    public static string DeploymentClaimName(string workload, string serverPrefix, string source) => $"{workload}-{ClaimName(source, serverPrefix, workload)}";

    private async Task<V1Container> ContainerAsync(IResource container, string name, CancellationToken cancellationToken)
    {
        var image = options.Images.TryGetValue(container.Name, out var configured) && !string.IsNullOrWhiteSpace(configured) ? configured.Trim()
            : container.TryGetContainerImageName(out var containerImage) ? containerImage
            : throw new KubernetesPublishException(
                $"Resource '{container.Name}' has no container image. Build one (for a .NET project: 'dotnet publish <project> -t:PublishContainer') "
                + $"and name it in {KubernetesPublishOptions.SectionName}:Images:{container.Name}.");

        return new V1Container
        {
            Name = name,
            Image = image,
            ImagePullPolicy = PullPolicy(container),
            Command = container is ContainerResource { Entrypoint: { Length: > 0 } entrypoint } ? [entrypoint] : null,
            Args = NullIfEmpty(await ArgumentsAsync(container, cancellationToken).ConfigureAwait(false)),
            Env = NullIfEmpty(await EnvironmentAsync(container, cancellationToken).ConfigureAwait(false)),
            VolumeMounts = NullIfEmpty(VolumeMounts(container)),
        };
    }

    private async Task<List<string>> ArgumentsAsync(IResource container, CancellationToken cancellationToken)
    {
        var raw = new List<object>();
        foreach (var annotation in container.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await annotation.Callback(new CommandLineArgsCallbackContext(raw, container, cancellationToken) { ExecutionContext = executionContext }).ConfigureAwait(false);
        }

        var arguments = new List<string>();
        foreach (var value in raw)
        {
            var resolved = await values.ResolveAsync(value, cancellationToken).ConfigureAwait(false);
            if (resolved.IsSecret)
            {
                throw new KubernetesPublishException($"Resource '{container.Name}' passes a secret on its command line; pass it in a file or an environment variable instead.");
            }

            arguments.Add(resolved.Text);
        }

        return arguments;
    }

    private async Task<List<V1EnvVar>> EnvironmentAsync(IResource container, CancellationToken cancellationToken)
    {
        var raw = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var annotation in container.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await annotation.Callback(new EnvironmentCallbackContext(executionContext, container, raw, cancellationToken)).ConfigureAwait(false);
        }

        var environment = new List<V1EnvVar>();
        foreach (var (key, value) in raw.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            var resolved = await values.ResolveAsync(value, cancellationToken).ConfigureAwait(false);
            if (resolved.IsSecret)
            {
                _secretEnvironment[key] = resolved.Text;
                environment.Add(new V1EnvVar
                {
                    Name = key,
                    ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = SecretEnvironmentName, Key = key } },
                });
            }
            else
            {
                environment.Add(new V1EnvVar { Name = key, Value = resolved.Text });
            }
        }

        return environment;
    }

    private List<V1VolumeMount> VolumeMounts(IResource container)
    {
        var mounts = new List<V1VolumeMount>();
        foreach (var mount in container.Annotations.OfType<ContainerMountAnnotation>())
        {
            if (mount.Type != ContainerMountType.Volume || string.IsNullOrEmpty(mount.Source))
            {
                throw new KubernetesPublishException(
                    $"Resource '{container.Name}' mounts '{mount.Source ?? "(anonymous)"}' at {mount.Target}, which is not a named volume. "
                    + "Only named volumes can be published; each becomes a persistent volume claim.");
            }

            var claim = ClaimName(mount.Source);
            _claims.TryAdd(claim, Claim(claim));
            mounts.Add(new V1VolumeMount { Name = claim, MountPath = mount.Target, ReadOnlyProperty = mount.IsReadOnly ? true : null });
        }

        return mounts;
    }

    /// <summary><c>dendriteaspire-jetstream</c> becomes <c>jetstream</c>; <c>dendriteaspire-postgres-data</c>, <c>data</c>.</summary>
    private string ClaimName(string source) => ClaimName(source, volumePrefix, _name);

    private static string ClaimName(string source, string serverPrefix, string workload)
    {
        var name = source;
        foreach (var prefix in new[] { serverPrefix + "-", workload + "-" })
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal) && name.Length > prefix.Length)
            {
                name = name[prefix.Length..];
            }
        }

        return name;
    }

    private V1PersistentVolumeClaim Claim(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = KubernetesLabels.For(_name) },
        Spec = new V1PersistentVolumeClaimSpec
        {
            AccessModes = ["ReadWriteOnce"],
            StorageClassName = string.IsNullOrWhiteSpace(options.StorageClass) ? null : options.StorageClass,
            Resources = new V1VolumeResourceRequirements
            {
                Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = Quantity(options.VolumeSize(name), $"VolumeSizes:{name}") },
            },
        },
    };

    private async Task<(List<V1Volume> Volumes, List<V1VolumeMount> Mounts, string? Checksum)> RenderedConfigAsync(CancellationToken cancellationToken)
    {
        var files = resource.Annotations.OfType<RenderedConfigFileAnnotation>().ToList();
        foreach (var containerFiles in resource.Annotations.OfType<ContainerFileSystemCallbackAnnotation>())
        {
            if (files.All(f => f.Directory != containerFiles.DestinationPath))
            {
                throw new KubernetesPublishException($"Resource '{_name}' copies files into {containerFiles.DestinationPath}, which has no Kubernetes counterpart.");
            }
        }

        if (files.Count == 0)
        {
            return ([], [], null);
        }

        var data = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var volumes = new List<V1Volume>();
        var mounts = new List<V1VolumeMount>();
        var secretName = $"{_name}-config";
        var holdsSecrets = files.Any(f => f.HoldsSecrets);
        foreach (var directory in files.GroupBy(f => f.Directory).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var volumeName = volumes.Count == 0 ? ConfigVolumeName : $"{ConfigVolumeName}-{volumes.Count}";
            var items = new List<V1KeyToPath>();
            foreach (var file in directory.OrderBy(f => f.FileName, StringComparer.Ordinal))
            {
                data[file.FileName] = await file.Render(
                    async (value, ct) =>
                    {
                        var resolved = await values.ResolveAsync(value, ct).ConfigureAwait(false);
                        return resolved.IsSecret && !file.HoldsSecrets
                            ? throw new KubernetesPublishException($"Resource '{_name}' would put a secret into {file.FileName}, which is published as a ConfigMap.")
                            : resolved.Text;
                    },
                    cancellationToken).ConfigureAwait(false);
                items.Add(new V1KeyToPath { Key = file.FileName, Path = file.FileName });
                if (file.SharesDirectory)
                {
                    mounts.Add(new V1VolumeMount { Name = volumeName, MountPath = $"{directory.Key}/{file.FileName}", SubPath = file.FileName, ReadOnlyProperty = true });
                }
            }

            volumes.Add(holdsSecrets
                ? new V1Volume { Name = volumeName, Secret = new V1SecretVolumeSource { SecretName = secretName, DefaultMode = ConfigFileMode, Items = items } }
                : new V1Volume { Name = volumeName, ConfigMap = new V1ConfigMapVolumeSource { Name = secretName, DefaultMode = PublicConfigFileMode, Items = items } });
            if (!directory.Any(f => f.SharesDirectory))
            {
                mounts.Add(new V1VolumeMount { Name = volumeName, MountPath = directory.Key, ReadOnlyProperty = true });
            }
        }

        _objects.Add(holdsSecrets
            ? new($"{secretName}-secret.yaml", Secret(secretName, data))
            : new($"{secretName}-configmap.yaml", ConfigMap(secretName, data)));
        return (volumes, mounts, Checksum(data));
    }

    private V1Probe? Probe(ProbeType type)
    {
        var probe = resource.Annotations.OfType<EndpointProbeAnnotation>().FirstOrDefault(p => p.Type == type);
        return probe is null ? ReadinessWaits.Probe(resource, type) : new V1Probe
        {
            HttpGet = new V1HTTPGetAction { Path = probe.Path, Port = probe.EndpointReference.EndpointName },
            InitialDelaySeconds = probe.InitialDelaySeconds,
            PeriodSeconds = probe.PeriodSeconds,
            TimeoutSeconds = probe.TimeoutSeconds,
            FailureThreshold = probe.FailureThreshold,
            SuccessThreshold = probe.SuccessThreshold,
        };
    }

    private V1Service Service(string name, IReadOnlyList<EndpointAnnotation> endpoints, bool headless) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = Metadata(name, KubernetesLabels.For(_name)),
        Spec = new V1ServiceSpec
        {
            Type = headless ? null : "ClusterIP",
            ClusterIP = headless ? "None" : null,
            Selector = KubernetesLabels.Selector(_name),
            Ports = [.. endpoints.Select(e => new V1ServicePort
            {
                Name = e.Name,
                Port = headless ? ServicePorts.ContainerPort(e) : ServicePorts.For(e),
                TargetPort = e.Name,
                Protocol = "TCP",
            })],
        },
    };

    private V1Secret Secret(string name, IDictionary<string, string> data) => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Metadata = Metadata(name, KubernetesLabels.For(_name)),
        Type = "Opaque",
        StringData = new SortedDictionary<string, string>(data, StringComparer.Ordinal),
    };

    private V1ConfigMap ConfigMap(string name, IDictionary<string, string> data) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = Metadata(name, KubernetesLabels.For(_name)),
        Data = new SortedDictionary<string, string>(data, StringComparer.Ordinal),
    };

    private V1ObjectMeta Metadata(string name, IDictionary<string, string> labels) =>
        new() { Name = name, NamespaceProperty = options.Namespace, Labels = labels };

    private static V1ResourceRequirements Resources(WorkloadResources resources)
    {
        var limits = new SortedDictionary<string, ResourceQuantity>(StringComparer.Ordinal) { ["memory"] = Quantity(resources.LimitsMemory, "Resources:LimitsMemory") };
        if (!string.IsNullOrEmpty(resources.LimitsCpu))
        {
            limits["cpu"] = Quantity(resources.LimitsCpu, "Resources:LimitsCpu");
        }

        return new V1ResourceRequirements
        {
            Requests = new SortedDictionary<string, ResourceQuantity>(StringComparer.Ordinal)
            {
                ["cpu"] = Quantity(resources.RequestsCpu, "Resources:RequestsCpu"),
                ["memory"] = Quantity(resources.RequestsMemory, "Resources:RequestsMemory"),
            },
            Limits = limits,
        };
    }

    /// <summary>A Kubernetes quantity such as <c>512Mi</c> or <c>100m</c>; anything else names its key.</summary>
    private static ResourceQuantity Quantity(string value, string key)
    {
        try
        {
            var quantity = new ResourceQuantity(value);
            _ = quantity.ToDecimal();
            return quantity;
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException or InvalidOperationException or OverflowException)
        {
            throw new KubernetesPublishException($"{KubernetesPublishOptions.SectionName}:{key}: \"{value}\" is not a Kubernetes quantity; use a value such as 512Mi, 2Gi or 100m.");
        }
    }

    private static string PullPolicy(IResource container) =>
        container.Annotations.OfType<ContainerImagePullPolicyAnnotation>().LastOrDefault()?.ImagePullPolicy switch
        {
            ImagePullPolicy.Always => "Always",
            ImagePullPolicy.Never => "Never",
            _ => "IfNotPresent",
        };

    private static string Checksum(IDictionary<string, string> data)
    {
        var text = string.Join("\n", data.Select(pair => $"{pair.Key}\n{pair.Value}"));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static List<T>? NullIfEmpty<T>(List<T> items) => items.Count == 0 ? null : items;
}
