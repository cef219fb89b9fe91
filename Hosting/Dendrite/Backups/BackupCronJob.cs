using System.Globalization;
using Aspire.Hosting.Postgres;
using DendriteAspire.Backup.Secrets;
using DendriteAspire.ConfigRenderer.Rendering;
using DendriteAspire.Hosting.Kubernetes;
using k8s.Models;

namespace DendriteAspire.Hosting;

/// <summary>
/// The cluster's scheduled backups, derived from the same <c>Dendrite:Backup</c> settings as the local run: a CronJob
/// <c>&lt;name&gt;-backup</c> on the schedule <c>Every</c> gives (see <see cref="Schedule"/>) that runs the Admin CLI's
/// <c>backup-mounted</c> from the backup image (<c>Dendrite:Kubernetes:Images:&lt;name&gt;-backup</c>, built from
/// <c>Admin/Dockerfile</c>) with Dendrite's claims mounted under <c>/v</c>, writing into the claim
/// <c>&lt;name&gt;-backups</c> and keeping the newest <c>Keep</c> scheduled archives once a new one verified. With no
/// runtime to pause Dendrite, consistency comes from the databases' own means: each live SQLite file read under a read
/// transaction (SQLite's file locks, which work between the pods of one node: the pod must run beside Dendrite's, hence
/// the pod affinity; the ReadWriteOnce claims allow that), or <c>pg_dump</c> against the Postgres
/// Service; see <see cref="DendriteAspire.Backup.Runtime.MountedBackup"/> for the order. Runs as Dendrite's user under
/// restricted Pod Security.
/// </summary>
internal static class BackupCronJob
{
    public const string ImageKeySuffix = "-backup";
    public const string DefaultImage = "dendrite-aspire-admin:0.1.0";
    public const string DefaultClaimSize = "10Gi";
    private const string VolumesRoot = "/v";
    private const string BackupsPath = "/backups";

    /// <summary>The claims a backup reads, by the StatefulSet's claim template names (the model's volume names).</summary>
    private static readonly string[] ArchivedClaims = ["storage-keys", "sqlite", "jetstream", "media"];

    public static string Name(DendriteResource dendrite) => $"{dendrite.Name}-backup";

    public static string ClaimName(DendriteResource dendrite) => $"{dendrite.Name}-backups";

    /// <summary>
    /// The cron schedule for an interval, or null when none fires exactly that far apart: minutes dividing an hour
    /// (<c>*/30 * * * *</c>), hours dividing a day (<c>17 */6 * * *</c>), a day (<c>17 3 * * *</c>) or a week
    /// (<c>17 3 * * 0</c>, Sundays). Other whole days have none: a day-of-month step such as <c>*/2</c> starts again on
    /// the 1st, so the 31st and the 1st would both fire. Off-the-hour minutes keep the cluster's backups from all
    /// starting at :00.
    /// </summary>
    public static string? Schedule(TimeSpan every) => every switch
    {
        { TotalDays: 7 } => "17 3 * * 0",
        { TotalDays: 1 } => "17 3 * * *",
        { TotalHours: >= 1 and < 24 } when every.TotalHours % 1 == 0 && 24 % every.TotalHours == 0 => string.Create(CultureInfo.InvariantCulture, $"17 */{every.TotalHours:0} * * *"),
        { TotalMinutes: >= 1 and < 60 } when every.TotalMinutes % 1 == 0 && 60 % every.TotalMinutes == 0 => string.Create(CultureInfo.InvariantCulture, $"*/{every.TotalMinutes:0} * * * *"),
        _ => null,
    };

    /// <summary>Refuses, before a publish writes anything, an interval no cron schedule expresses.</summary>
    public static void Check(BackupSettings settings)
    {
        if (settings.Every is { } every && Schedule(every) is null)
        {
            throw new DendriteSettingsException([new ConfigFinding(FindingSeverity.Error,
                $"{DendriteHostOptions.SectionName}:{BackupSettings.SectionKey}:Every",
                $"{Format(every)} cannot be a cluster's cron schedule; use minutes that divide an hour (15m, 20m, 30m), hours that divide a day (1h, 2h, 3h, 4h, 6h, 8h, 12h), a day (1d) or a week (7d)")]);
        }
    }

    /// <summary>Adds the claim and the CronJob (the <see cref="KubernetesObjectsAnnotation"/> callback); nothing when <c>Every</c> is <c>off</c>.</summary>
    public static async Task ContributeAsync(KubernetesObjectsContext context)
    {
        var dendrite = (DendriteResource)context.Resource;
        var backups = dendrite.Annotations.OfType<DendriteBackups>().Single();
        if (backups.Settings.Every is not { } every)
        {
            return;
        }

        var statefulSet = context.Workload.OfType<V1StatefulSet>().Single();
        var claims = (statefulSet.Spec.VolumeClaimTemplates ?? []).Select(c => c.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        var postgres = dendrite.Database is PostgresDatabaseResource database ? database.Parent : null;
        var mounted = ArchivedClaims.Where(claims.Contains).Where(c => postgres is null || c != "sqlite").ToList();
        var image = context.Options.Images.TryGetValue(Name(dendrite), out var configured) && !string.IsNullOrWhiteSpace(configured) ? configured.Trim() : DefaultImage;
        var labels = KubernetesObjectsContext.Labels(Name(dendrite), KubernetesLabels.ImageTag(image));

        var onboarding = dendrite.Annotations.OfType<OnboardingBackupAnnotation>().FirstOrDefault();
        var secrets = backups.Settings.IncludeSecrets ? SecretFiles(dendrite, onboarding, postgres) : null;

        // Everything after "--keep N" is what the restore Job keeps (README): the onboarding claim, Postgres, the passphrase.
        List<string> args =
        [
            "backup-mounted", "--volumes", VolumesRoot, "--output", BackupsPath, "--scratch", "/tmp",
            "--server-name", dendrite.Settings.ServerName, "--image", backups.Image,
            .. secrets is null ? Array.Empty<string>() : ["--secrets", SecretsDirectory],
            "--keep", backups.Settings.Keep.ToString(CultureInfo.InvariantCulture),
        ];
        if (onboarding is not null)
        {
            args.AddRange(["--onboarding", OnboardingPath]);
        }

        var env = new List<V1EnvVar> { new() { Name = "DOTNET_EnableDiagnostics", Value = "0" } };
        if (postgres is not null)
        {
            args.AddRange(["--postgres-host", postgres.Name, "--postgres-user", "postgres", "--postgres-database", ((PostgresDatabaseResource)dendrite.Database!).DatabaseName]);
            env.Add(new V1EnvVar
            {
                Name = "PGPASSWORD",
                ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = WorkloadManifests.SecretEnvironmentNameFor(postgres.Name), Key = PostgresPasswordKey } },
            });
        }

        var claim = new V1PersistentVolumeClaim
        {
            ApiVersion = "v1",
            Kind = "PersistentVolumeClaim",
            Metadata = new V1ObjectMeta { Name = ClaimName(dendrite), NamespaceProperty = context.Options.Namespace, Labels = KubernetesObjectsContext.Labels(Name(dendrite)) },
            Spec = new V1PersistentVolumeClaimSpec
            {
                AccessModes = ["ReadWriteOnce"],
                StorageClassName = context.Options.StorageClass,
                Resources = new V1VolumeResourceRequirements
                {
                    Requests = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal)
                    {
                        ["storage"] = new(context.Options.VolumeSizes.TryGetValue("backups", out var size) ? size : DefaultClaimSize),
                    },
                },
            },
        };

        var cronJob = new V1CronJob
        {
            ApiVersion = "batch/v1",
            Kind = "CronJob",
            Metadata = new V1ObjectMeta { Name = Name(dendrite), NamespaceProperty = context.Options.Namespace, Labels = labels },
            Spec = new V1CronJobSpec
            {
                Schedule = Schedule(every),
                TimeZone = "Etc/UTC",
                ConcurrencyPolicy = "Forbid",
                StartingDeadlineSeconds = 3600,
                SuccessfulJobsHistoryLimit = 3,
                FailedJobsHistoryLimit = 3,
                JobTemplate = new V1JobTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1JobSpec
                    {
                        BackoffLimit = 1,
                        ActiveDeadlineSeconds = 6 * 3600,
                        Template = new V1PodTemplateSpec
                        {
                            Metadata = new V1ObjectMeta { Labels = labels },
                            Spec = new V1PodSpec
                            {
                                RestartPolicy = "Never",
                                // SQLite's file locks keep Dendrite's writers out while a file is read: beside Dendrite's pod
                                // (and onboarding's, which runs beside Dendrite), on its node, which also lets the
                                // ReadWriteOnce claims mount here.
                                Affinity = onboarding is null ? KubernetesLabels.BesidePodOf(dendrite.Name) : KubernetesLabels.BesidePodOf(dendrite.Name, onboarding.Workload),
                                // A member of onboarding's group: it reads (and the restore Job writes) invites.db on its claim.
                                SecurityContext = onboarding is null ? null : new V1PodSecurityContext { SupplementalGroups = [onboarding.GroupId] },
                                Containers =
                                [
                                    new V1Container
                                    {
                                        Name = "backup",
                                        Image = image,
                                        ImagePullPolicy = "IfNotPresent",
                                        Args = args,
                                        Env = env,
                                        VolumeMounts =
                                        [
                                            .. mounted.Select(c => new V1VolumeMount { Name = c, MountPath = $"{VolumesRoot}/{c}", ReadOnlyProperty = c == "sqlite" ? null : true }),
                                            new V1VolumeMount { Name = "backups", MountPath = BackupsPath },
                                            new V1VolumeMount { Name = "tmp", MountPath = "/tmp" },
                                        ],
                                        Resources = new V1ResourceRequirements
                                        {
                                            Requests = new SortedDictionary<string, ResourceQuantity>(StringComparer.Ordinal) { ["cpu"] = new("100m"), ["memory"] = new("128Mi") },
                                            Limits = new SortedDictionary<string, ResourceQuantity>(StringComparer.Ordinal) { ["memory"] = new("1Gi") },
                                        },
                                    },
                                ],
                                Volumes =
                                [
                                    .. mounted.Select(c => new V1Volume
                                    {
                                        Name = c,
                                        PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = $"{c}-{statefulSet.Metadata.Name}-0" },
                                    }),
                                    new V1Volume { Name = "backups", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = ClaimName(dendrite) } },
                                    new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource() },
                                ],
                            },
                        },
                    },
                },
            },
        };

        var pod = cronJob.Spec.JobTemplate.Spec.Template.Spec;
        var container = pod.Containers[0];
        if (onboarding is not null)
        {
            // Read-only for the volume, not only the mount: the kubelet then leaves the claim's group (onboarding's
            // fsGroup) as it is instead of giving it to this pod's. The restore Job makes it writable (README).
            container.VolumeMounts = [.. container.VolumeMounts, new V1VolumeMount { Name = OnboardingVolume, MountPath = OnboardingPath, ReadOnlyProperty = true }];
            pod.Volumes = [.. pod.Volumes, new V1Volume
            {
                Name = OnboardingVolume,
                PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = onboarding.ClaimName, ReadOnlyProperty = true },
            }];
        }

        if (secrets is not null)
        {
            // Backup:IncludeSecrets: the secret parameters as files named after them, from the Secrets the publish
            // already holds them in (no copy), readable by the pod's group only. The restore Job drops this volume.
            container.VolumeMounts = [.. container.VolumeMounts, new V1VolumeMount { Name = SecretsVolume, MountPath = SecretsDirectory, ReadOnlyProperty = true }];
            pod.Volumes = [.. pod.Volumes, new V1Volume
            {
                Name = SecretsVolume,
                Projected = new V1ProjectedVolumeSource
                {
                    DefaultMode = 0b100_100_000,
                    Sources = [.. secrets.GroupBy(s => s.Secret, StringComparer.Ordinal).Select(g => new V1VolumeProjection
                    {
                        Secret = new V1SecretProjection { Name = g.Key, Items = [.. g.Select(s => new V1KeyToPath { Key = s.Key, Path = s.Parameter })] },
                    })],
                },
            }];
        }

        if (backups.Passphrase is { } parameter)
        {
            // Backup:Encrypt: the passphrase as a file of a Secret of its own, readable by the pod's group only.
            var passphrase = await context.ResolveAsync(parameter).ConfigureAwait(false);
            if (passphrase.Length < DendriteBackups.MinimumPassphraseLength)
            {
                throw new KubernetesPublishException(
                    $"Parameters:{parameter.Name} is {passphrase.Length} characters; Dendrite:Backup:Encrypt needs at least {DendriteBackups.MinimumPassphraseLength} (a few random words).");
            }

            container.Args = [.. container.Args, "--passphrase-file", $"{PassphraseDirectory}/{PassphraseKey}"];
            container.VolumeMounts = [.. container.VolumeMounts, new V1VolumeMount { Name = "passphrase", MountPath = PassphraseDirectory, ReadOnlyProperty = true }];
            pod.Volumes = [.. pod.Volumes, new V1Volume { Name = "passphrase", Secret = new V1SecretVolumeSource { SecretName = PassphraseSecretName(dendrite), DefaultMode = 0b100_100_000 } }];
            // Each run is a new pod that reads the Secret as it is then: no checksum (a hash of a passphrase is no thing to publish).
            context.Add($"{PassphraseSecretName(dendrite)}-secret.yaml", new V1Secret
            {
                ApiVersion = "v1",
                Kind = "Secret",
                Metadata = new V1ObjectMeta { Name = PassphraseSecretName(dendrite), NamespaceProperty = context.Options.Namespace, Labels = KubernetesObjectsContext.Labels(Name(dendrite)) },
                Type = "Opaque",
                StringData = new SortedDictionary<string, string>(StringComparer.Ordinal) { [PassphraseKey] = passphrase },
            });
        }

        context.Add($"{ClaimName(dendrite)}-claim.yaml", claim);
        context.Add($"{Name(dendrite)}-cronjob.yaml", cronJob);
    }

    public static string PassphraseSecretName(DendriteResource dendrite) => $"{dendrite.Name}-backup";

    /// <summary>The Postgres image's password variable, a key of the <c>postgres-env</c> Secret.</summary>
    private const string PostgresPasswordKey = "POSTGRES_PASSWORD";
    private const string OnboardingVolume = "onboarding";
    private const string OnboardingPath = VolumesRoot + "/onboarding";
    private const string SecretsVolume = "secrets";
    private const string SecretsDirectory = "/var/run/dendrite-backup-secrets";

    /// <summary>
    /// Where the publish puts each secret parameter a restore on a new machine needs (<see cref="AppHostSecrets.Names"/>):
    /// the Secret, its key, and the parameter (the file's name).
    /// </summary>
    private static List<(string Secret, string Key, string Parameter)> SecretFiles(DendriteResource dendrite, OnboardingBackupAnnotation? onboarding, PostgresServerResource? postgres)
    {
        var files = new List<(string Secret, string Key, ParameterResource? Parameter)>();
        if (dendrite.Annotations.OfType<BootstrapAdminAnnotation>().FirstOrDefault() is { } admin)
        {
            var secret = BootstrapAdminJob.SecretName(dendrite);
            files.Add((secret, BootstrapAdminJob.PasswordKey, admin.Password));
            files.Add((secret, BootstrapAdminJob.SharedSecretKey, dendrite.RegistrationSharedSecret));
            files.Add((secret, BootstrapAdminJob.RoomOwnerPasswordKey, dendrite.Annotations.OfType<FamilyRoomOwnerAnnotation>().FirstOrDefault()?.Password));
        }

        if (onboarding is not null)
        {
            files.Add((onboarding.InviteSecretName, onboarding.InviteSecretKey, onboarding.InviteSecret));
        }

        if (postgres is not null)
        {
            files.Add((WorkloadManifests.SecretEnvironmentNameFor(postgres.Name), PostgresPasswordKey, postgres.PasswordParameter));
        }

        return [.. files.Where(f => f.Parameter is not null && AppHostSecrets.Names.Contains(f.Parameter.Name)).Select(f => (f.Secret, f.Key, f.Parameter!.Name))];
    }

    private const string PassphraseDirectory = "/var/run/dendrite-backup";
    private const string PassphraseKey = "passphrase";

    private static string Format(TimeSpan every) =>
        every.TotalDays % 1 == 0 ? string.Create(CultureInfo.InvariantCulture, $"{every.TotalDays:0}d")
        : every.TotalHours % 1 == 0 ? string.Create(CultureInfo.InvariantCulture, $"{every.TotalHours:0}h")
        : string.Create(CultureInfo.InvariantCulture, $"{every.TotalMinutes:0}m");
}
