using System.Globalization;
using DendriteAspire.Hosting.Kubernetes;
using DendriteAspire.Onboarding;
using k8s.Models;

namespace DendriteAspire.Hosting;

/// <summary>Adds the family onboarding service: invite links, the join page and the admin page.</summary>
public static class OnboardingBuilderExtensions
{
    /// <summary>The secret parameter invite links of the resource <c>onboarding</c> are signed with; rotating it revokes every open link.</summary>
    public const string InviteSecretParameterName = "onboarding-invite-secret";

    /// <summary>The port the service listens on inside its container (the .NET images' default).</summary>
    internal const int ContainerHttpPort = 8080;

    /// <summary>
    /// The non-root user and group of the onboarding image (<c>Onboarding/Dockerfile</c>): 1654, the official ASP.NET
    /// images' <c>app</c> user. The cluster pod runs as the same uid and gid, which also own its data claim.
    /// </summary>
    internal const long ContainerUserId = 1654;

    /// <summary>The pod's Prometheus port (named <c>metrics</c>), which the Service offers and no Ingress routes.</summary>
    internal const int ContainerMetricsPort = 9464;

    internal const string MetricsEndpointName = "metrics";

    /// <summary>Where the invite list and data-protection keys live inside the container.</summary>
    internal const string ContainerDataDirectory = "/data";

    /// <summary>The temporary directory .NET writes to (<c>Path.GetTempPath()</c>): scratch space, no state.</summary>
    internal const string ContainerTempDirectory = "/tmp";

    internal const string DataVolumeSuffix = "onboarding-data";

    /// <summary>
    /// The secret parameter with the password of the family room's owner (the <c>family-rooms</c> service account) for
    /// the onboarding resource <paramref name="resourceName"/>: <c>&lt;name&gt;-room-owner-password</c>.
    /// </summary>
    /// <param name="resourceName">The onboarding resource's name.</param>
    /// <returns>The parameter's name.</returns>
    public static string RoomOwnerPasswordParameterNameFor(string resourceName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(resourceName);
        return $"{resourceName}-room-owner-password";
    }

    /// <summary>
    /// The secret parameter invite links of the onboarding resource <paramref name="resourceName"/> are signed with:
    /// <c>&lt;name&gt;-invite-secret</c> (<see cref="InviteSecretParameterName"/> for <c>onboarding</c>).
    /// </summary>
    /// <param name="resourceName">The onboarding resource's name.</param>
    /// <returns>The parameter's name.</returns>
    public static string InviteSecretParameterNameFor(string resourceName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(resourceName);
        return $"{resourceName}-invite-secret";
    }

    /// <summary>
    /// Adds the onboarding project as <paramref name="name"/>: it waits for the homeserver to be healthy, finds it
    /// through service discovery, and gets the registration secret, the family room owner's credentials (the
    /// <c>family-rooms</c> service account, password parameter <c>&lt;name&gt;-room-owner-password</c>) and a generated
    /// invite secret (the parameter <c>&lt;name&gt;-invite-secret</c>), both kept in user secrets; never the bootstrap
    /// admin's password. Locally it listens on
    /// <see cref="FamilyOnboardingOptions.HostPort"/> (8010) so links stay valid across restarts; on Kubernetes it is a
    /// Deployment with its state on a claim. The homeserver's bootstrap step makes the room owner's account and hands it
    /// a room the bootstrap admin made earlier, so the homeserver must have a bootstrap admin
    /// (<see cref="DendriteAccountsBuilderExtensions.WithBootstrapAdmin"/>).
    /// </summary>
    /// <typeparam name="TProject">The onboarding project (<c>Projects.Onboarding</c>).</typeparam>
    /// <param name="builder">The app model builder.</param>
    /// <param name="name">The resource name; the invite secret parameter is named after it.</param>
    /// <param name="homeserver">The homeserver, with its bootstrap admin.</param>
    /// <param name="options">The service's options, from <see cref="Configuration.DendriteConfiguration.Bind"/> or made in code.</param>
    /// <returns>The onboarding project's resource builder.</returns>
    /// <exception cref="InvalidOperationException">The homeserver has no bootstrap admin.</exception>
    /// <example>
    /// <code>
    /// var onboarding = builder.AddFamilyOnboarding&lt;Projects.Onboarding&gt;("onboarding", dendrite, settings.Onboarding);
    /// </code>
    /// </example>
    public static IResourceBuilder<ProjectResource> AddFamilyOnboarding<TProject>(this IDistributedApplicationBuilder builder, [ResourceName] string name, IResourceBuilder<DendriteResource> homeserver, FamilyOnboardingOptions options)
        where TProject : IProjectMetadata, new()
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(homeserver);
        ArgumentNullException.ThrowIfNull(options);

        if (options.Validate() is { Count: > 0 } errors)
        {
            throw new DendriteSettingsException(errors);
        }

        var dendrite = homeserver.Resource;
        var bootstrap = dendrite.Annotations.OfType<BootstrapAdminAnnotation>().SingleOrDefault()
            ?? throw new InvalidOperationException($"'{dendrite.Name}' has no bootstrap admin, whose family room the onboarding service uses; call WithBootstrapAdmin on it first.");
        var dendriteHost = dendrite.Annotations.OfType<DendriteHostOptions>().Single();
        var hosts = dendrite.Annotations.OfType<PublicHosts>().Single();
        var context = builder.ExecutionContext;

        var inviteSecret = builder.AddParameter(
            InviteSecretParameterNameFor(name),
            new GenerateParameterDefault { MinLength = 48, Special = false },
            secret: true,
            persist: true);

        // The family room belongs to a service account that is no server admin; the homeserver's bootstrap step makes it
        // (and hands it a room the bootstrap admin made before it existed). The dashboard command signs in through the
        // homeserver's account connection, in the AppHost, not in this service.
        var roomOwnerPassword = builder.AddParameter(
            RoomOwnerPasswordParameterNameFor(name),
            new GenerateParameterDefault { MinLength = 32, Special = false },
            secret: true,
            persist: true);
        homeserver.WithAnnotation(new FamilyRoomOwnerAnnotation(
            OnboardingOptions.DefaultRoomOwnerUserName, roomOwnerPassword.Resource, OnboardingOptions.RoomAliasName(options.FamilyRoomName)));
        var connection = dendrite.Annotations.OfType<DendriteAccountsAnnotation>().Single().Connection;

        var onboarding = builder.AddProject<TProject>(name);
        var project = onboarding.Resource;
        string PublicUrl() => PublicUrls.App(options.PublicUrl, context, hosts.Join, hosts, () => PublicUrls.Local(project.GetEndpoint("http"), options.HostPort));

        onboarding
            .WithAnnotation(options)
            .WithEndpoint("http", endpoint =>
            {
                endpoint.Port = context.IsRunMode && options.HostPort != 0 ? options.HostPort : null;
                endpoint.TargetPort = context.IsPublishMode ? ContainerHttpPort : endpoint.TargetPort;
            })
            .WithReference(dendrite.HttpEndpoint)
            .WaitFor(homeserver)
            .WithEnvironment(Variable(nameof(OnboardingOptions.PublicUrl)), () => PublicUrl())
            .WithEnvironment(Variable(nameof(OnboardingOptions.ServerName)), dendrite.Settings.ServerName)
            .WithEnvironment(Variable(nameof(OnboardingOptions.HomeserverUrl)), () => PublicUrls.Homeserver(dendrite, context, hosts, () => PublicUrls.Local(dendrite.HttpEndpoint, dendriteHost.HostPort)))
            .WithEnvironment(Variable(nameof(OnboardingOptions.FamilyRoomName)), options.FamilyRoomName)
            .WithEnvironment(Variable(nameof(OnboardingOptions.DendriteUrl)), "http://" + dendrite.Name)
            .WithEnvironment(Variable(nameof(OnboardingOptions.InviteSecret)), inviteSecret.Resource)
            .WithEnvironment(Variable(nameof(OnboardingOptions.AdminUserName)), bootstrap.UserName)
            .WithEnvironment(Variable(nameof(OnboardingOptions.RoomOwnerUserName)), OnboardingOptions.DefaultRoomOwnerUserName)
            .WithEnvironment(Variable(nameof(OnboardingOptions.RoomOwnerPassword)), roomOwnerPassword.Resource)
            .WithEnvironment(environment =>
            {
                if (dendrite.RegistrationSharedSecret is { } secret)
                {
                    environment.EnvironmentVariables[Variable(nameof(OnboardingOptions.RegistrationSecret))] = secret;
                }
            })
            .WithHttpProbe(ProbeType.Readiness, "/health", periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3, endpointName: "http")
            .WithHttpProbe(ProbeType.Liveness, "/alive", periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 3, endpointName: "http")
            .WithAnnotation(new IngressRoutesAnnotation("http", ["/join", "/admin", "/api/invites"]) { DedicatedHost = hosts.Join })
            .PublishAsKubernetesDeployment()
            .WithCommand(InviteLinkCommand.Name, "Create invite link", context => InviteLinkCommand.ExecuteAsync(context, project, connection), new CommandOptions
            {
                Description = "Make a one-time link that lets a relative pick a password and join the family room.",
                IconName = "PersonAdd",
                IsHighlighted = true,
                UpdateState = state => state.ResourceSnapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy
                    ? ResourceCommandState.Enabled
                    : ResourceCommandState.Disabled,
            })
            .WithUrlForEndpoint("http", url =>
            {
                url.DisplayText = "Onboarding admin";
                url.Url = PublicUrls.Trim(url.Url) + "/admin";
            });

        if (context.IsPublishMode)
        {
            // TLS ends at the Ingress: the pod serves plain HTTP on one port, so no 'https' endpoint is published.
            foreach (var https in project.Annotations.OfType<EndpointAnnotation>().Where(e => e.Name != "http").ToList())
            {
                project.Annotations.Remove(https);
            }

            // Aspire publishes ASPNETCORE_FORWARDEDHEADERS_ENABLED=true, which alone would trust every address; the
            // service ignores it and trusts only these networks (the Ingress controller's) to name the client.
            for (var i = 0; i < options.TrustedProxies.Count; i++)
            {
                onboarding.WithEnvironment(string.Create(CultureInfo.InvariantCulture, $"{Variable(nameof(OnboardingOptions.TrustedProxies))}__{i}"), options.TrustedProxies[i]);
            }

            // The service's own metrics for Prometheus: /metrics on a port of its own (ServiceDefaults answers it there
            // only), offered by the Service as 'metrics' and scraped by the onboarding ServiceMonitor; never routed.
            onboarding
                .WithHttpEndpoint(targetPort: ContainerMetricsPort, name: MetricsEndpointName)
                .WithEnvironment("Metrics__PrometheusPort", ContainerMetricsPort.ToString(CultureInfo.InvariantCulture))
                .WithKubernetesObjects(objects =>
                {
                    if (objects.Options.Monitoring.Enabled)
                    {
                        objects.Add($"{project.Name}-servicemonitor.yaml", Kubernetes.Monitoring.ClusterMonitoring.ForService(
                            project.Name, objects.Options.Namespace, objects.Options.Monitoring.Release, MetricsEndpointName, "/metrics"));
                    }

                    return Task.CompletedTask;
                });

            onboarding
                .WithAnnotation(new ClusterUserAnnotation(ContainerUserId, ContainerUserId), ResourceAnnotationMutationBehavior.Replace)
                // ASP.NET Core writes each data-protection key through a temporary file (Path.GetTempFileName) before
                // moving it to /data/keys: on the pod's read-only root, /tmp is an emptyDir.
                .WithAnnotation(new ScratchDirectoryAnnotation(ContainerTempDirectory), ResourceAnnotationMutationBehavior.Append)
                .WithEnvironment(Variable(nameof(OnboardingOptions.DataDirectory)), ContainerDataDirectory)
                .WithAnnotation(new ContainerMountAnnotation($"{dendriteHost.VolumePrefix}-{DataVolumeSuffix}", ContainerDataDirectory, ContainerMountType.Volume, isReadOnly: false))
                // The data claim (invites.db) is backed up by Dendrite's backup pod, which runs beside Dendrite: the
                // service runs on Dendrite's node too, so one pod can mount both ReadWriteOnce claims.
                .WithKubernetesObjects(objects =>
                {
                    foreach (var deployment in objects.Workload.OfType<V1Deployment>())
                    {
                        deployment.Spec.Template.Spec.Affinity = KubernetesLabels.BesidePodOf(dendrite.Name);
                    }

                    return Task.CompletedTask;
                });
            homeserver.WithAnnotation(new OnboardingBackupAnnotation(
                name,
                WorkloadManifests.DeploymentClaimName(name, dendriteHost.VolumePrefix, $"{dendriteHost.VolumePrefix}-{DataVolumeSuffix}"),
                ContainerUserId,
                inviteSecret.Resource,
                Variable(nameof(OnboardingOptions.InviteSecret))));
        }
        else
        {
            onboarding.WithEnvironment(Variable(nameof(OnboardingOptions.DataDirectory)), LocalDataDirectory(dendriteHost.VolumePrefix));
        }

        return onboarding;
    }

    /// <summary>Links the success page to Element Web.</summary>
    /// <param name="onboarding">The onboarding resource builder.</param>
    /// <param name="element">Element Web, whose public URL the success page shows.</param>
    /// <returns>The onboarding resource builder.</returns>
    /// <example>
    /// <code>
    /// onboarding.WithElementWeb(builder.AddElementWeb("element", dendrite, settings.Client));
    /// </code>
    /// </example>
    public static IResourceBuilder<ProjectResource> WithElementWeb(this IResourceBuilder<ProjectResource> onboarding, IResourceBuilder<ElementResource> element)
    {
        ArgumentNullException.ThrowIfNull(onboarding);
        ArgumentNullException.ThrowIfNull(element);
        var context = onboarding.ApplicationBuilder.ExecutionContext;
        return onboarding.WithEnvironment(Variable(nameof(OnboardingOptions.ElementUrl)), () => ElementBuilderExtensions.PublicUrl(element.Resource, context));
    }

    /// <summary>The environment variable for an <see cref="OnboardingOptions"/> key: the typed contract with the service.</summary>
    private static string Variable(string property) => OnboardingOptions.EnvironmentVariable(property);

    /// <summary>
    /// Locally the service runs as a process on this machine, so its state sits in a directory named like the
    /// volumes (<c>~/.local/share/dendrite-aspire/&lt;prefix&gt;-onboarding-data</c>), outside the checkout.
    /// </summary>
    internal static string LocalDataDirectory(string volumePrefix) =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create),
            "dendrite-aspire", string.Create(CultureInfo.InvariantCulture, $"{volumePrefix}-{DataVolumeSuffix}"));
}
