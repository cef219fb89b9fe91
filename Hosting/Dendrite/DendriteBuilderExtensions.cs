using Aspire.Hosting.Postgres;
using DendriteAspire.ConfigRenderer.Layout;
using DendriteAspire.Hosting.Kubernetes;
using DendriteAspire.ConfigRenderer.Settings;

namespace DendriteAspire.Hosting;

/// <summary>Adds a Dendrite homeserver and its parts to the app model.</summary>
public static class DendriteBuilderExtensions
{
    /// <summary>The secret parameter holding the registration shared secret.</summary>
    public const string RegistrationSecretParameterName = "dendrite-registration-secret";

    /// <summary>Readable by the owner and its group, writable by no one.</summary>
    private const UnixFileMode ConfigFileMode = UnixFileMode.UserRead | UnixFileMode.GroupRead;

    /// <summary>
    /// The secret parameter holding the registration shared secret of the Dendrite resource <paramref name="resourceName"/>:
    /// <c>&lt;name&gt;-registration-secret</c> (<see cref="RegistrationSecretParameterName"/> for <c>dendrite</c>).
    /// </summary>
    /// <param name="resourceName">The Dendrite resource's name.</param>
    /// <returns>The parameter's name.</returns>
    public static string RegistrationSecretParameterNameFor(string resourceName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(resourceName);
        return $"{resourceName}-registration-secret";
    }

    /// <summary>
    /// Adds Dendrite with its config file rendered from <paramref name="options"/>, health checks and probes, and a
    /// generated registration shared secret kept in user secrets (the parameter <c>&lt;name&gt;-registration-secret</c>).
    /// Throws <see cref="DendriteSettingsException"/> at once when the options are invalid.
    /// </summary>
    /// <param name="builder">The app model builder.</param>
    /// <param name="name">The resource name; the generated parameters and the key step are named after it.</param>
    /// <param name="options">The homeserver's options, from <see cref="Configuration.DendriteConfiguration.Bind"/> or made in code.</param>
    /// <returns>The Dendrite resource builder.</returns>
    /// <example>
    /// <code>
    /// var settings = DendriteConfiguration.Bind(builder.Configuration);
    /// var dendrite = builder.AddDendrite("dendrite", settings.Dendrite).WithKeyGeneration().WithPersistentState();
    /// </code>
    /// </example>
    public static IResourceBuilder<DendriteResource> AddDendrite(this IDistributedApplicationBuilder builder, [ResourceName] string name, DendriteOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);

        var secretName = RegistrationSecretParameterNameFor(name);
        DendriteOptionsRules.ThrowIfInvalid(options, secretName, DendriteImport.TokenParameterNameFor(name));
        var host = DendriteHostOptions.From(options);
        var settings = SettingsCopy.Of(options.Settings);
        settings.WellKnown.ClientUrl ??= ClientUrlDefault.For(builder.ExecutionContext, host, options.PublicHosts);
        var dendrite = new DendriteResource(name, settings);

        var secret = builder.AddParameter(
            secretName,
            new GenerateParameterDefault { MinLength = 32, Special = false },
            secret: true,
            persist: true);
        dendrite.RegistrationSharedSecret = secret.Resource;
        DendriteMetrics.AddPassword(builder, dendrite);

        var resource = builder.AddResource(dendrite)
            .WithImage(host.Image, host.ImageTag)
            .WithImageRegistry(host.Registry)
            .WithAnnotation(host)
            .WithAnnotation(options.PublicHosts)
            // Published by the runtime itself, without DCP's proxy in front: Dendrite answers as soon as it listens, a
            // persistent Dendrite keeps answering on the same port while the AppHost restarts, and no hop is added.
            .WithHttpEndpoint(port: host.HostPort == 0 ? null : host.HostPort, targetPort: DendriteResource.HttpPort, name: DendriteResource.HttpEndpointName,
                isProxied: false)
            .WithArgs("-config", DendritePaths.ConfigFile)
            .WithAnnotation(new RenderedConfigFileAnnotation(
                DendritePaths.ConfigDirectory,
                DendritePaths.ConfigFileName,
                (resolve, cancellationToken) => DendriteConfigFile.RenderAsync(dendrite, resolve, cancellationToken)))
            .WithContainerFiles(DendritePaths.ConfigDirectory, (_, cancellationToken) => ConfigFileForContainer(dendrite, cancellationToken))
            .WithAnnotation(new IngressRoutesAnnotation(DendriteResource.HttpEndpointName, ["/_matrix", "/_dendrite/monitor", "/.well-known/matrix"]))
            .WithAnnotation(StartupProbe(dendrite))
            .WithHttpProbe(ProbeType.Readiness, DendriteResource.HealthPath, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3, endpointName: DendriteResource.HttpEndpointName)
            .WithHttpProbe(ProbeType.Liveness, DendriteResource.UpPath, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 6, endpointName: DendriteResource.HttpEndpointName)
            .WithUrlForEndpoint(DendriteResource.HttpEndpointName, url => url.DisplayText = "Homeserver")
            .WithClusterUser(DendriteResource.ClusterUserId, DendriteResource.ClusterUserId)
            .WithKubernetesPublishCheck(() => ClusterIdentityRules.Check(dendrite));
        Kubernetes.Monitoring.ClusterMonitoring.Add(resource);

        if (!string.IsNullOrEmpty(settings.WellKnown.ClientUrl))
        {
            resource.WithUrls(context =>
            {
                var endpoint = dendrite.HttpEndpoint;
                if (endpoint.IsAllocated)
                {
                    context.Urls.Add(new ResourceUrlAnnotation
                    {
                        Url = endpoint.Url + DendriteResource.ClientWellKnownPath,
                        DisplayText = "Client well-known",
                        Endpoint = endpoint,
                    });
                }
            });
        }

        CoverImageVolume(resource);
        if (host.Lifetime == ContainerLifetime.Persistent)
        {
            resource.WithLifetime(ContainerLifetime.Persistent).WithContainerName(PersistentContainerName(host, name));
            if (builder.ExecutionContext.IsRunMode)
            {
                // Aspire recreates a persistent container when its spec changes; the checksum makes a changed config
                // file part of that spec whatever DCP hashes, so a settings change restarts the homeserver.
                resource.WithEnvironment(async context => context.EnvironmentVariables[ConfigChecksumVariable] =
                    await ConfigChecksumAsync(dendrite, context.CancellationToken).ConfigureAwait(false));
            }
        }

        if (settings.Import.Enabled)
        {
            DendriteImport.AddRegistration(builder, resource);
            dendrite.ImportActive = true;
        }

        if (settings.Federation.Enabled)
        {
            resource
                .WithEndpoint(port: DendriteResource.FederationPort, targetPort: DendriteResource.FederationPort, scheme: "https", name: DendriteResource.FederationEndpointName, isProxied: false)
                .WithArgs(
                    "-https-bind-address", $":{DendriteResource.FederationPort}",
                    "-tls-cert", SigningKeyGeneration.TlsCertificate,
                    "-tls-key", SigningKeyGeneration.TlsKey);
        }

        return resource;
    }

    /// <summary>The directory the Dendrite image declares a <c>VOLUME</c> (and its working directory).</summary>
    internal const string ImageVolumePath = "/etc/dendrite";

    /// <summary>
    /// Locally, mounts an empty in-memory file system over the image's <c>VOLUME /etc/dendrite</c>: otherwise Docker and
    /// podman give every new container an anonymous volume there that outlives it, hundreds after a year of restarts.
    /// Nothing of ours lives there (the config is at <c>/etc/dendrite-config</c>, state on named volumes). A cluster
    /// ignores an image's VOLUME, so nothing is published for it.
    /// </summary>
    internal static void CoverImageVolume<T>(IResourceBuilder<T> container) where T : ContainerResource
    {
        if (container.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            container.WithContainerRuntimeArgs("--tmpfs", ImageVolumePath);
        }
    }

    /// <summary>
    /// The environment variable carrying the SHA-256 of the rendered <c>dendrite.yaml</c> on a persistent Dendrite.
    /// Dendrite ignores it; Aspire sees a new value as a changed container and recreates it.
    /// </summary>
    public const string ConfigChecksumVariable = "DENDRITEASPIRE_CONFIG_SHA256";

    /// <summary>Persistent containers need stable names; the volume prefix keeps two installations apart.</summary>
    internal static string PersistentContainerName(DendriteHostOptions host, string resourceName) => $"{host.VolumePrefix}-{resourceName}";

    /// <summary>The hex SHA-256 of the config file exactly as the local container receives it.</summary>
    internal static async Task<string> ConfigChecksumAsync(DendriteResource dendrite, CancellationToken cancellationToken)
    {
        var files = await ConfigFileForContainer(dendrite, cancellationToken).ConfigureAwait(false);
        // dendrite.yaml alone hashes as itself; the import registration, while loaded, is added with its name.
        var all = files.OfType<ContainerFile>().ToList();
        var contents = (all.FirstOrDefault(f => f.Name == DendritePaths.ConfigFileName)?.Contents ?? "")
            + string.Concat(all.Where(f => f.Name != DendritePaths.ConfigFileName).Select(f => "\n" + f.Name + "\n" + f.Contents));
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(contents)));
    }

    /// <summary>
    /// The config files as the local container sees them (hosts such as <c>postgres.dev.internal:5432</c>):
    /// <c>dendrite.yaml</c>, and the Slack import's registration while Import:Enabled.
    /// </summary>
    private static async Task<IEnumerable<ContainerFileSystemItem>> ConfigFileForContainer(DendriteResource dendrite, CancellationToken cancellationToken)
    {
        var files = new List<ContainerFileSystemItem>();
        foreach (var file in dendrite.Annotations.OfType<RenderedConfigFileAnnotation>().Where(f => f.Directory == DendritePaths.ConfigDirectory))
        {
            if (file.FileName == DendritePaths.ImportRegistrationFileName && !dendrite.ImportActive)
            {
                continue; // Registered for the dashboard's "Import from Slack", loaded only while it imports.
            }

            var contents = await file.Render(
                (value, ct) => value.GetValueAsync(new ValueProviderContext { Caller = dendrite }, ct),
                cancellationToken).ConfigureAwait(false);
            // Owned by the user Dendrite runs as locally (mode 0440 leaves no one else able to read it); root otherwise.
            var user = LocalDendriteUser.Of(dendrite);
            files.Add(new ContainerFile
            {
                Name = file.FileName,
                Contents = contents,
                Mode = ConfigFileMode,
                Owner = user is null ? null : checked((int)user.UserId),
                Group = user is null ? null : checked((int)user.GroupId),
            });
        }

        return files;
    }

    /// <summary>
    /// The start-up probe: <c>/up</c> answers once migrations and JetStream are ready, which can take minutes on a
    /// first start. Added as an annotation because <c>WithHttpProbe</c> would also register a second run-mode health
    /// check on the same path as the liveness probe.
    /// </summary>
    private static EndpointProbeAnnotation StartupProbe(DendriteResource dendrite) => new()
    {
        Type = ProbeType.Startup,
        EndpointReference = dendrite.HttpEndpoint,
        Path = DendriteResource.UpPath,
        InitialDelaySeconds = 5,
        PeriodSeconds = 5,
        TimeoutSeconds = 5,
        FailureThreshold = 60,
        SuccessThreshold = 1,
    };

    /// <summary>
    /// Adds the <c>&lt;name&gt;-keygen</c> step: the same image runs <c>generate-keys</c> on the
    /// <c>storage-keys</c> volume when no key exists, and Dendrite waits for it to complete. When the AppHost can see
    /// that the key already exists (a warm start), the step is not started and Dendrite does not wait. On a cluster
    /// it is Dendrite's init container, running as Dendrite's user.
    /// </summary>
    /// <param name="builder">The Dendrite resource builder.</param>
    /// <returns>The Dendrite resource builder.</returns>
    /// <example>
    /// <code>
    /// builder.AddDendrite("dendrite", settings.Dendrite).WithKeyGeneration();
    /// </code>
    /// </example>
    public static IResourceBuilder<DendriteResource> WithKeyGeneration(this IResourceBuilder<DendriteResource> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var dendrite = builder.Resource;
        var host = dendrite.Annotations.OfType<DendriteHostOptions>().Single();

        var keysVolume = VolumeName(host, DendriteVolume.StorageKeys);
        var keygen = builder.ApplicationBuilder
            .AddResource(new DendriteKeyGenerationResource($"{dendrite.Name}-keygen", dendrite))
            .WithImage(host.Image, host.ImageTag)
            .WithImageRegistry(host.Registry)
            .WithEntrypoint(SigningKeyGeneration.Shell)
            .WithArgs("-c", SigningKeyGeneration.Script(withTlsCertificate: dendrite.Settings.Federation.Enabled))
            .WithVolume(keysVolume, DendriteVolume.StorageKeys.Target);
        CoverImageVolume(keygen);
        if (host.Lifetime == ContainerLifetime.Persistent)
        {
            keygen.WithLifetime(ContainerLifetime.Persistent).WithContainerName(PersistentContainerName(host, keygen.Resource.Name));
        }

        dendrite.KeyGeneration = keygen.Resource;
        ExistingSigningKey.SkipKeyStepWhenPresent(builder, keygen, keysVolume);
        LocalDendriteUser.LinkKeyStep(builder);
        return builder.WaitForCompletion(keygen);
    }

    /// <summary>
    /// Mounts every piece of Dendrite's state on a named volume (<c>&lt;VolumePrefix&gt;-jetstream</c>, ...), so
    /// nothing is lost when the app stops. The keys volume is read-only for Dendrite (only the key step writes it)
    /// wherever the container runtime can mount named volumes read-only; on podman 4 it is writable and the key file's
    /// mode 0400 protects it (see the AppHost log).
    /// Locally Dendrite and the key step then run as Dendrite's cluster user (uid:gid 1000:1000 unless
    /// <c>WithClusterUser</c> says otherwise), after a <c>&lt;name&gt;-volume-owner</c> step that gives the volumes to that
    /// user when some file belongs to someone else (volumes of an earlier version, which ran Dendrite as root); on a
    /// rootless runtime Dendrite stays root inside its user namespace and the AppHost log says so.
    /// On a cluster each volume is a claim of the StatefulSet, shared through the pod's <c>fsGroup</c>.
    /// </summary>
    /// <param name="builder">The Dendrite resource builder.</param>
    /// <returns>The Dendrite resource builder.</returns>
    /// <example>
    /// <code>
    /// builder.AddDendrite("dendrite", settings.Dendrite).WithKeyGeneration().WithPersistentState();
    /// </code>
    /// </example>
    public static IResourceBuilder<DendriteResource> WithPersistentState(this IResourceBuilder<DendriteResource> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var host = builder.Resource.Annotations.OfType<DendriteHostOptions>().Single();
        foreach (var volume in DendriteVolume.All)
        {
            builder.WithVolume(VolumeName(host, volume), volume.Target, isReadOnly: volume == DendriteVolume.StorageKeys);
        }

        SigningKeyMount.AdaptToRuntime(builder, VolumeName(host, DendriteVolume.StorageKeys));
        LocalDendriteUser.Add(builder, host);

        return builder;
    }

    /// <summary>
    /// Keeps Dendrite's data in a Postgres database; Dendrite waits until the database exists (on a cluster, with an
    /// init container running the server's readiness command, see <see cref="PostgresClusterExtensions.WithClusterDefaults"/>).
    /// The server itself is left as it is.
    /// </summary>
    /// <param name="builder">The Dendrite resource builder.</param>
    /// <param name="database">The database Dendrite keeps its data in.</param>
    /// <returns>The Dendrite resource builder.</returns>
    /// <example>
    /// <code>
    /// var db = builder.AddPostgres("postgres").WithDataVolume().WithClusterDefaults().AddDatabase("dendrite-db", "dendrite");
    /// dendrite.WithPostgres(db);
    /// </code>
    /// </example>
    public static IResourceBuilder<DendriteResource> WithPostgres(this IResourceBuilder<DendriteResource> builder, IResourceBuilder<PostgresDatabaseResource> database)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(database);

        builder.Resource.Database = database.Resource;
        builder.Resource.DatabaseUri = ReferenceExpression.Create($"{database.Resource.UriExpression}?sslmode=disable");
        return builder.WaitFor(database);
    }

    /// <summary>Uses a registration shared secret of your own instead of the generated one.</summary>
    /// <param name="builder">The Dendrite resource builder.</param>
    /// <param name="secret">A secret parameter of your own; the generated <c>&lt;name&gt;-registration-secret</c> leaves the model.</param>
    /// <returns>The Dendrite resource builder.</returns>
    /// <example>
    /// <code>
    /// var secret = builder.AddParameter("family-registration-secret", secret: true);
    /// dendrite.WithRegistrationSharedSecret(secret);
    /// </code>
    /// </example>
    public static IResourceBuilder<DendriteResource> WithRegistrationSharedSecret(this IResourceBuilder<DendriteResource> builder, IResourceBuilder<ParameterResource> secret)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(secret);
        if (!secret.Resource.Secret)
        {
            throw new ArgumentException($"Parameter '{secret.Resource.Name}' must be a secret parameter.", nameof(secret));
        }

        // The generated parameter goes, so no orphan is left in the model, the manifest or the dashboard.
        if (builder.Resource.RegistrationSharedSecret is { } generated && generated != secret.Resource
            && generated.Name == RegistrationSecretParameterNameFor(builder.Resource.Name))
        {
            builder.ApplicationBuilder.Resources.Remove(generated);
        }

        builder.Resource.RegistrationSharedSecret = secret.Resource;
        return builder.WaitFor(secret);
    }

    /// <summary>The volume name for one piece of state, from the configured prefix.</summary>
    internal static string VolumeName(DendriteHostOptions host, DendriteVolume volume) => $"{host.VolumePrefix}-{volume.Name}";

    /// <summary>The name of the Postgres data volume, under the same prefix as Dendrite's.</summary>
    /// <param name="builder">The Dendrite resource builder.</param>
    /// <returns><c>&lt;VolumePrefix&gt;-postgres-data</c>.</returns>
    /// <example>
    /// <code>
    /// builder.AddPostgres("postgres").WithDataVolume(dendrite.PostgresVolumeName());
    /// </code>
    /// </example>
    public static string PostgresVolumeName(this IResourceBuilder<DendriteResource> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return $"{builder.Resource.Annotations.OfType<DendriteHostOptions>().Single().VolumePrefix}-postgres-data";
    }
}
