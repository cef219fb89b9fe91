using DendriteAspire.ConfigRenderer.Layout;
using DendriteAspire.Hosting.Kubernetes;
using k8s.Models;

namespace DendriteAspire.Hosting;

/// <summary>
/// The cluster's first admin, derived from Dendrite's <see cref="BootstrapAdminAnnotation"/>: a Secret
/// <c>&lt;name&gt;-admin</c> (user name, password and registration shared secret, for the Job and for the CLI through a
/// port-forward) and a Job <c>&lt;name&gt;-bootstrap-admin</c>. The Job runs Dendrite's own image: it waits for the
/// Service, then <c>/usr/bin/create-account -admin -passwordfile</c> registers over HTTP with the shared secret.
/// "Already exists" is success, so the Job is idempotent and never changes a password. Restricted Pod Security.
/// Dendrite contributes both to the Kubernetes output through its <see cref="KubernetesObjectsAnnotation"/>.
/// </summary>
internal static class BootstrapAdminJob
{
    public const string UserNameKey = "username";
    public const string PasswordKey = "password";
    public const string SharedSecretKey = "registration-shared-secret";

    private const string SecretsDirectory = "/var/run/dendrite-admin";
    private const int SecretFileMode = 0b100_100_000; // 0440
    private const long NonRootId = 1000;

    public static string SecretName(DendriteResource dendrite) => $"{dendrite.Name}-admin";

    public static string JobName(DendriteResource dendrite) => $"{dendrite.Name}-bootstrap-admin";

    /// <summary>Adds the Secret and the Job to a publish (the <see cref="KubernetesObjectsAnnotation"/> callback).</summary>
    public static async Task ContributeAsync(KubernetesObjectsContext context)
    {
        foreach (var published in await BuildAsync((ContainerResource)context.Resource, context.Options, context.Values, context.CancellationToken).ConfigureAwait(false))
        {
            context.Add(published.FileName, published.Object);
        }
    }

    /// <summary>The Secret and the Job, or nothing when the resource has no bootstrap admin.</summary>
    public static async Task<IReadOnlyList<PublishedObject>> BuildAsync(
        ContainerResource resource, KubernetesPublishOptions options, ClusterValueResolver values, CancellationToken cancellationToken)
    {
        if (resource is not DendriteResource dendrite || dendrite.Annotations.OfType<BootstrapAdminAnnotation>().SingleOrDefault() is not { } admin)
        {
            return [];
        }

        if (!dendrite.TryGetContainerImageName(out var image))
        {
            throw new KubernetesPublishException($"Resource '{dendrite.Name}' has no container image.");
        }

        var sharedSecret = dendrite.RegistrationSharedSecret
            ?? throw new KubernetesPublishException($"Resource '{dendrite.Name}' has a bootstrap admin but no registration shared secret.");
        var password = await values.ResolveAsync(admin.Password, cancellationToken).ConfigureAwait(false);
        var secret = await values.ResolveAsync(sharedSecret, cancellationToken).ConfigureAwait(false);
        var homeserver = await values.ResolveAsync(dendrite.HttpEndpoint, cancellationToken).ConfigureAwait(false);
        var labels = KubernetesLabels.For(JobName(dendrite), dendrite.Annotations.OfType<ContainerImageAnnotation>().LastOrDefault()?.Tag);

        var adminSecret = new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = new V1ObjectMeta { Name = SecretName(dendrite), NamespaceProperty = options.Namespace, Labels = KubernetesLabels.For(dendrite.Name) },
            Type = "Opaque",
            StringData = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                [UserNameKey] = admin.UserName,
                [PasswordKey] = password.Text,
                [SharedSecretKey] = secret.Text,
            },
        };

        var job = new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = new V1ObjectMeta { Name = JobName(dendrite), NamespaceProperty = options.Namespace, Labels = labels },
            Spec = new V1JobSpec
            {
                BackoffLimit = 6,
                ActiveDeadlineSeconds = 1800,
                // Finished Jobs go away, so a later 'kubectl apply -k' recreates and reruns it (harmless: idempotent)
                // instead of failing on the Job's immutable pod template.
                TtlSecondsAfterFinished = 600,
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1PodSpec
                    {
                        RestartPolicy = "OnFailure",
                        AutomountServiceAccountToken = false,
                        SecurityContext = new V1PodSecurityContext
                        {
                            RunAsNonRoot = true,
                            RunAsUser = NonRootId,
                            RunAsGroup = NonRootId,
                            FsGroup = NonRootId,
                            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                        },
                        Containers =
                        [
                            new V1Container
                            {
                                Name = "create-admin",
                                Image = image,
                                ImagePullPolicy = "IfNotPresent",
                                Command = [SigningKeyGeneration.Shell, "-c", Script()],
                                Env =
                                [
                                    new V1EnvVar { Name = "DENDRITE_URL", Value = homeserver.Text },
                                    new V1EnvVar { Name = "ADMIN_USER", Value = admin.UserName },
                                ],
                                VolumeMounts =
                                [
                                    new V1VolumeMount { Name = "config", MountPath = DendritePaths.ConfigDirectory, ReadOnlyProperty = true },
                                    new V1VolumeMount { Name = "admin", MountPath = SecretsDirectory, ReadOnlyProperty = true },
                                    new V1VolumeMount { Name = "throwaway-key", MountPath = DendritePaths.StorageKeys },
                                    new V1VolumeMount { Name = "tmp", MountPath = "/tmp" },
                                ],
                                SecurityContext = new V1SecurityContext
                                {
                                    RunAsNonRoot = true,
                                    AllowPrivilegeEscalation = false,
                                    ReadOnlyRootFilesystem = true,
                                    Capabilities = new V1Capabilities { Drop = ["ALL"] },
                                    SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                                },
                                Resources = new V1ResourceRequirements
                                {
                                    Requests = new SortedDictionary<string, ResourceQuantity>(StringComparer.Ordinal) { ["cpu"] = new("10m"), ["memory"] = new("32Mi") },
                                    Limits = new SortedDictionary<string, ResourceQuantity>(StringComparer.Ordinal) { ["memory"] = new("128Mi") },
                                },
                            },
                        ],
                        Volumes =
                        [
                            new V1Volume { Name = "config", Secret = new V1SecretVolumeSource { SecretName = $"{dendrite.Name}-config", DefaultMode = SecretFileMode } },
                            new V1Volume
                            {
                                Name = "admin",
                                Secret = new V1SecretVolumeSource
                                {
                                    SecretName = SecretName(dendrite),
                                    DefaultMode = SecretFileMode,
                                    Items = [new V1KeyToPath { Key = PasswordKey, Path = PasswordKey }],
                                },
                            },
                            new V1Volume { Name = "throwaway-key", EmptyDir = new V1EmptyDirVolumeSource { Medium = "Memory", SizeLimit = new ResourceQuantity("1Mi") } },
                            new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource { Medium = "Memory", SizeLimit = new ResourceQuantity("1Mi") } },
                        ],
                    },
                },
            },
        };

        return [new($"{SecretName(dendrite)}-secret.yaml", adminSecret), new($"{JobName(dendrite)}-job.yaml", job)];
    }

    /// <summary>
    /// The Job's shell script. <c>create-account</c> loads the whole config, signing key included, before it
    /// registers over HTTP; it needs only a key file, not the server's key, so a throwaway key is made in memory.
    /// It prints the new account's access token: that line is never shown, and the session is signed out.
    /// </summary>
    internal static string Script() => string.Join('\n',
        "set -eu",
        "url=\"${DENDRITE_URL%/}\"",
        "echo \"Waiting for Dendrite at $url\"",
        "tries=0",
        "until curl -fsS -o /dev/null \"$url/_dendrite/monitor/up\"; do",
        "  tries=$((tries + 1))",
        "  if [ \"$tries\" -ge 120 ]; then echo \"Dendrite did not answer at $url/_dendrite/monitor/up within 10 minutes\" >&2; exit 1; fi",
        "  sleep 5",
        "done",
        $"{SigningKeyGeneration.GenerateKeys} -private-key {DendritePaths.SigningKey} > /dev/null",
        $"if out=$(/usr/bin/create-account -config {DendritePaths.ConfigFile} -url \"$url\" -username \"$ADMIN_USER\" -admin -passwordfile {SecretsDirectory}/{PasswordKey} 2>&1); then",
        "  token=$(printf '%s\\n' \"$out\" | sed -n 's/.*AccessToken: \\([^)]*\\)).*/\\1/p' | head -n 1)",
        "  if [ -n \"$token\" ]; then",
        "    printf 'Authorization: Bearer %s\\n' \"$token\" > /tmp/auth",
        "    curl -fsS -o /dev/null -X POST -H @/tmp/auth -H 'Content-Type: application/json' -d '{}' \"$url/_matrix/client/v3/logout\" || true",
        "    rm -f /tmp/auth",
        "  fi",
        "  echo \"Bootstrap admin $ADMIN_USER created.\"",
        "elif printf '%s' \"$out\" | grep -q M_USER_IN_USE; then",
        "  echo \"Bootstrap admin $ADMIN_USER already exists; left unchanged.\"",
        "else",
        "  printf '%s\\n' \"$out\" | sed 's/AccessToken: [^)]*/AccessToken: (hidden)/' >&2",
        "  exit 1",
        "fi");
}
