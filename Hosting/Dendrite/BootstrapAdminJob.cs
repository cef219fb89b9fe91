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
    public const string RoomOwnerPasswordKey = "room-owner-password";

    private const string SecretsDirectory = "/var/run/dendrite-admin";
    private const int SecretFileMode = 0b100_100_000; // 0440

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
        var owner = dendrite.Annotations.OfType<FamilyRoomOwnerAnnotation>().FirstOrDefault();
        var secretData = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [UserNameKey] = admin.UserName,
            [PasswordKey] = password.Text,
            [SharedSecretKey] = secret.Text,
        };
        List<V1EnvVar> environment =
        [
            new V1EnvVar { Name = "DENDRITE_URL", Value = homeserver.Text },
            new V1EnvVar { Name = "ADMIN_USER", Value = admin.UserName },
        ];
        List<V1KeyToPath> files = [new V1KeyToPath { Key = PasswordKey, Path = PasswordKey }];
        if (owner is not null)
        {
            // The family room's owner: made once by this Job (not an admin), and handed a room the admin made earlier.
            secretData[RoomOwnerPasswordKey] = (await values.ResolveAsync(owner.Password, cancellationToken).ConfigureAwait(false)).Text;
            var ownerId = $"@{owner.UserName}:{dendrite.Settings.ServerName}";
            environment.AddRange(
            [
                new V1EnvVar { Name = "OWNER_USER", Value = owner.UserName },
                new V1EnvVar { Name = "OWNER_ID", Value = ownerId },
                new V1EnvVar { Name = "OWNER_NAME", Value = FamilyRoomOwnerAnnotation.DisplayName },
                new V1EnvVar { Name = "FAMILY_ROOM", Value = $"#{owner.RoomAliasName}:{dendrite.Settings.ServerName}" },
            ]);
            files.Add(new V1KeyToPath { Key = RoomOwnerPasswordKey, Path = RoomOwnerPasswordKey });
        }

        var adminSecret = new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = new V1ObjectMeta { Name = SecretName(dendrite), NamespaceProperty = options.Namespace, Labels = KubernetesLabels.For(dendrite.Name) },
            Type = "Opaque",
            StringData = secretData,
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
                        // The pod's identity and security context are PodSecurity's: Dendrite's cluster user, as this
                        // Job runs Dendrite's image on Dendrite's config Secret.
                        Containers =
                        [
                            new V1Container
                            {
                                Name = "create-admin",
                                Image = image,
                                ImagePullPolicy = "IfNotPresent",
                                Command = [SigningKeyGeneration.Shell, "-c", Script(withRoomOwner: owner is not null)],
                                Env = environment,
                                VolumeMounts =
                                [
                                    new V1VolumeMount { Name = "config", MountPath = DendritePaths.ConfigDirectory, ReadOnlyProperty = true },
                                    new V1VolumeMount { Name = "admin", MountPath = SecretsDirectory, ReadOnlyProperty = true },
                                    new V1VolumeMount { Name = "throwaway-key", MountPath = DendritePaths.StorageKeys },
                                    new V1VolumeMount { Name = "tmp", MountPath = "/tmp" },
                                ],
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
                                    Items = files,
                                },
                            },
                            new V1Volume { Name = "throwaway-key", EmptyDir = new V1EmptyDirVolumeSource { Medium = "Memory", SizeLimit = new ResourceQuantity("1Mi") } },
                            new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource { Medium = "Memory", SizeLimit = new ResourceQuantity("1Mi") } },
                        ],
                    },
                },
            },
        };

        return [new($"{SecretName(dendrite)}-secret.yaml", adminSecret, dendrite), new($"{JobName(dendrite)}-job.yaml", job, dendrite)];
    }

    /// <summary>
    /// The Job's shell script. <c>create-account</c> loads the whole config, signing key included, before it
    /// registers over HTTP; it needs only a key file, not the server's key, so a throwaway key is made in memory.
    /// It prints the new account's access token: that line is never shown, and the session is signed out. With a room
    /// owner, the script then makes that account (no admin) and, when the family room exists, has the admin raise it to
    /// power level 100 there and invite it (the onboarding service accepts); each step is skipped once done.
    /// </summary>
    internal static string Script(bool withRoomOwner = true) => string.Join('\n', [.. CreateAdmin(), .. withRoomOwner ? RoomOwner() : []]);

    private static string[] CreateAdmin() =>
    [
        "set -eu",
        "url=\"${DENDRITE_URL%/}\"",
        "echo \"Running as uid $(id -u), gid $(id -g)\"",
        "echo \"Waiting for Dendrite at $url\"",
        "tries=0",
        "until curl -fsS -o /dev/null \"$url/_dendrite/monitor/up\"; do",
        "  tries=$((tries + 1))",
        "  if [ \"$tries\" -ge 120 ]; then echo \"Dendrite did not answer at $url/_dendrite/monitor/up within 10 minutes\" >&2; exit 1; fi",
        "  sleep 5",
        "done",
        $"{SigningKeyGeneration.GenerateKeys} -private-key {DendritePaths.SigningKey} > /dev/null",
        // logout_token TOKEN: ends the session create-account opened.
        "logout_token() {",
        "  printf 'Authorization: Bearer %s\\n' \"$1\" > /tmp/auth",
        "  curl -fsS -o /dev/null -X POST -H @/tmp/auth -H 'Content-Type: application/json' -d '{}' \"$url/_matrix/client/v3/logout\" || true",
        "  rm -f /tmp/auth",
        "}",
        "token_of() { printf '%s\\n' \"$1\" | sed -n 's/.*AccessToken: \\([^)]*\\)).*/\\1/p' | head -n 1; }",
        $"if out=$(/usr/bin/create-account -config {DendritePaths.ConfigFile} -url \"$url\" -username \"$ADMIN_USER\" -admin -passwordfile {SecretsDirectory}/{PasswordKey} 2>&1); then",
        "  token=$(token_of \"$out\")",
        "  if [ -n \"$token\" ]; then logout_token \"$token\"; fi",
        "  echo \"Bootstrap admin $ADMIN_USER created.\"",
        "elif printf '%s' \"$out\" | grep -q M_USER_IN_USE; then",
        "  echo \"Bootstrap admin $ADMIN_USER already exists; left unchanged.\"",
        "else",
        "  printf '%s\\n' \"$out\" | sed 's/AccessToken: [^)]*/AccessToken: (hidden)/' >&2",
        "  exit 1",
        "fi",
    ];

    private static string[] RoomOwner() =>
    [
        $"if out=$(/usr/bin/create-account -config {DendritePaths.ConfigFile} -url \"$url\" -username \"$OWNER_USER\" -passwordfile {SecretsDirectory}/{RoomOwnerPasswordKey} 2>&1); then",
        "  token=$(token_of \"$out\")",
        "  if [ -n \"$token\" ]; then",
        "    printf 'Authorization: Bearer %s\\n' \"$token\" > /tmp/auth",
        "    printf '{\"displayname\":\"%s\"}' \"$OWNER_NAME\" > /tmp/body",
        "    curl -fsS -o /dev/null -X PUT -H @/tmp/auth -H 'Content-Type: application/json' -d @/tmp/body \"$url/_matrix/client/v3/profile/$OWNER_ID/displayname\" || true",
        "    rm -f /tmp/auth /tmp/body",
        "    logout_token \"$token\"",
        "  fi",
        "  echo \"Family room owner $OWNER_USER created (not a server admin).\"",
        "elif printf '%s' \"$out\" | grep -q M_USER_IN_USE; then",
        "  echo \"Family room owner $OWNER_USER already exists; left unchanged.\"",
        "else",
        "  printf '%s\\n' \"$out\" | sed 's/AccessToken: [^)]*/AccessToken: (hidden)/' >&2",
        "  exit 1",
        "fi",
        // Hand-over: the admin signs in (a JSON body in memory; the password escaped for JSON), finds the room.
        "escape() { sed 's/\\\\/\\\\\\\\/g; s/\"/\\\\\"/g'; }",
        $"admin_password=$(escape < {SecretsDirectory}/{PasswordKey} | tr -d '\\n')",
        "printf '{\"type\":\"m.login.password\",\"identifier\":{\"type\":\"m.id.user\",\"user\":\"%s\"},\"password\":\"%s\",\"initial_device_display_name\":\"Bootstrap Job\"}' \"$ADMIN_USER\" \"$admin_password\" > /tmp/login",
        "unset admin_password",
        "if ! login=$(curl -fsS -X POST -H 'Content-Type: application/json' -d @/tmp/login \"$url/_matrix/client/v3/login\"); then",
        "  rm -f /tmp/login",
        "  echo \"Bootstrap admin $ADMIN_USER cannot sign in with the password in the Secret; family room hand-over skipped.\" >&2",
        "  exit 0",
        "fi",
        "rm -f /tmp/login",
        "token=$(printf '%s' \"$login\" | sed -n 's/.*\"access_token\":\"\\([^\"]*\\)\".*/\\1/p')",
        "printf 'Authorization: Bearer %s\\n' \"$token\" > /tmp/auth",
        "room_path=$(printf '%s' \"$FAMILY_ROOM\" | sed 's/#/%23/g; s/:/%3A/g')",
        "code=$(curl -sS -o /tmp/room -w '%{http_code}' -H @/tmp/auth \"$url/_matrix/client/v3/directory/room/$room_path\")",
        "if [ \"$code\" = 404 ]; then",
        "  echo \"No family room $FAMILY_ROOM yet; $OWNER_ID creates it.\"",
        "elif [ \"$code\" = 200 ]; then",
        "  room=$(sed -n 's/.*\"room_id\":\"\\([^\"]*\\)\".*/\\1/p' /tmp/room)",
        // The admin reads the room's power levels only when it is in the room: a room its owner made is not the admin's.
        "  if ! curl -fsS -o /tmp/levels -H @/tmp/auth \"$url/_matrix/client/v3/rooms/$room/state/m.room.power_levels\" 2>/dev/null; then",
        "    echo \"$FAMILY_ROOM is not the bootstrap admin's (made by $OWNER_ID); nothing to hand over.\"",
        "  elif grep -q \"\\\"$OWNER_ID\\\":100[,}]\" /tmp/levels; then",
        "    echo \"$OWNER_ID has power level 100 in $FAMILY_ROOM already.\"",
        "  else",
        "    sed -i \"s/\\\"$OWNER_ID\\\":-\\{0,1\\}[0-9]*,//; s/,\\\"$OWNER_ID\\\":-\\{0,1\\}[0-9]*//; s/\\\"$OWNER_ID\\\":-\\{0,1\\}[0-9]*//\" /tmp/levels",
        "    if grep -q '\"users\":{}' /tmp/levels; then",
        "      sed -i \"s/\\\"users\\\":{}/\\\"users\\\":{\\\"$OWNER_ID\\\":100}/\" /tmp/levels",
        "    else",
        "      sed -i \"s/\\\"users\\\":{/\\\"users\\\":{\\\"$OWNER_ID\\\":100,/\" /tmp/levels",
        "    fi",
        "    curl -fsS -o /dev/null -X PUT -H @/tmp/auth -H 'Content-Type: application/json' -d @/tmp/levels \"$url/_matrix/client/v3/rooms/$room/state/m.room.power_levels\"",
        "    echo \"$OWNER_ID raised to power level 100 in $FAMILY_ROOM.\"",
        "  fi",
        "  code=$(curl -sS -o /tmp/member -w '%{http_code}' -H @/tmp/auth \"$url/_matrix/client/v3/rooms/$room/state/m.room.member/$OWNER_ID\")",
        "  if [ \"$code\" = 403 ]; then",
        "    :",
        "  elif [ \"$code\" = 200 ] && grep -q '\"membership\":\"\\(join\\|invite\\)\"' /tmp/member; then",
        "    echo \"$OWNER_ID is in $FAMILY_ROOM already (or invited).\"",
        "  else",
        "    printf '{\"user_id\":\"%s\"}' \"$OWNER_ID\" > /tmp/body",
        "    curl -fsS -o /dev/null -X POST -H @/tmp/auth -H 'Content-Type: application/json' -d @/tmp/body \"$url/_matrix/client/v3/rooms/$room/invite\"",
        "    echo \"$OWNER_ID invited to $FAMILY_ROOM; the onboarding service accepts.\"",
        "  fi",
        "else",
        "  echo \"Looking up $FAMILY_ROOM answered $code: $(cat /tmp/room)\" >&2",
        "  exit 1",
        "fi",
        "curl -fsS -o /dev/null -X POST -H @/tmp/auth -H 'Content-Type: application/json' -d '{}' \"$url/_matrix/client/v3/logout\" || true",
        "rm -f /tmp/auth /tmp/room /tmp/levels /tmp/member /tmp/body",
    ];
}
