using System.Globalization;
using DendriteAspire.Hosting.Kubernetes;
using Microsoft.Extensions.Configuration;

namespace DendriteAspire.Hosting;

/// <summary>Adds the family onboarding service: invite links, the join page and the admin page.</summary>
public static class OnboardingBuilderExtensions
{
    /// <summary>The secret parameter invite links are signed with; rotating it revokes every open link.</summary>
    public const string InviteSecretParameterName = "onboarding-invite-secret";

    /// <summary>The port the service listens on inside its container (the .NET images' default).</summary>
    internal const int ContainerHttpPort = 8080;

    /// <summary>Where the invite list and data-protection keys live inside the container.</summary>
    internal const string ContainerDataDirectory = "/data";

    internal const string DataVolumeSuffix = "onboarding-data";

    /// <summary>
    /// Adds the onboarding project as <paramref name="name"/>: it waits for the homeserver to be healthy, finds it
    /// through service discovery, and gets the registration secret and a generated invite secret (kept in user
    /// secrets like the registration secret). Locally it listens on <c>Dendrite:Onboarding:HostPort</c> (8010) so
    /// links stay valid across restarts; on Kubernetes it is a Deployment with its state on a claim. Adds the
    /// homeserver's bootstrap admin (<see cref="DendriteAccountsBuilderExtensions.WithBootstrapAdmin"/>) when missing.
    /// </summary>
    /// <example>
    /// <code>
    /// var onboarding = builder.AddFamilyOnboarding&lt;Projects.Onboarding&gt;("onboarding", dendrite);
    /// </code>
    /// </example>
    public static IResourceBuilder<ProjectResource> AddFamilyOnboarding<TProject>(this IDistributedApplicationBuilder builder, string name, IResourceBuilder<DendriteResource> homeserver)
        where TProject : IProjectMetadata, new()
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(homeserver);

        var options = OnboardingHostOptions.From(builder.Configuration);
        if (options.Validate() is { Count: > 0 } errors)
        {
            throw new DendriteSettingsException(errors);
        }

        var dendrite = homeserver.Resource;
        var dendriteHost = dendrite.Annotations.OfType<DendriteHostOptions>().Single();
        var context = builder.ExecutionContext;
        var ingress = PublicUrls.Ingress(builder.Configuration);

        var inviteSecret = builder.AddParameter(
            InviteSecretParameterName,
            new GenerateParameterDefault { MinLength = 48, Special = false },
            secret: true,
            persist: true);

        // The family room is the bootstrap admin's (Dendrite:Admin:UserName, password dendrite-admin-password).
        var bootstrap = homeserver.WithBootstrapAdmin().Resource.Annotations.OfType<BootstrapAdminAnnotation>().Single();
        var admin = new BootstrapAdmin(bootstrap.UserName, bootstrap.Password);

        var onboarding = builder.AddProject<TProject>(name);
        var project = onboarding.Resource;
        string PublicUrl() => PublicUrls.App(options.PublicUrl, context, ingress.JoinHost, ingress, () => PublicUrls.Local(project.GetEndpoint("http"), options.HostPort));

        onboarding
            .WithAnnotation(options)
            .WithEndpoint("http", endpoint =>
            {
                endpoint.Port = context.IsRunMode && options.HostPort != 0 ? options.HostPort : null;
                endpoint.TargetPort = context.IsPublishMode ? ContainerHttpPort : endpoint.TargetPort;
            })
            .WithReference(dendrite.HttpEndpoint)
            .WaitFor(homeserver)
            .WithEnvironment("Onboarding__PublicUrl", () => PublicUrl())
            .WithEnvironment("Onboarding__ServerName", dendrite.Settings.ServerName)
            .WithEnvironment("Onboarding__HomeserverUrl", () => PublicUrls.Homeserver(dendrite, context, ingress, () => PublicUrls.Local(dendrite.HttpEndpoint, dendriteHost.HostPort)))
            .WithEnvironment("Onboarding__FamilyRoomName", options.FamilyRoomName)
            .WithEnvironment("Onboarding__DendriteUrl", "http://" + dendrite.Name)
            .WithEnvironment("Onboarding__InviteSecret", inviteSecret.Resource)
            .WithEnvironment("Onboarding__AdminUserName", admin.UserName)
            .WithEnvironment("Onboarding__AdminPassword", admin.Password)
            .WithEnvironment(environment =>
            {
                if (dendrite.RegistrationSharedSecret is { } secret)
                {
                    environment.EnvironmentVariables["Onboarding__RegistrationSecret"] = secret;
                }
            })
            .WithHttpProbe(ProbeType.Readiness, "/health", periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3, endpointName: "http")
            .WithHttpProbe(ProbeType.Liveness, "/alive", periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 3, endpointName: "http")
            .WithAnnotation(new IngressRoutesAnnotation("http", ["/join", "/admin", "/api/invites"]) { DedicatedHost = nameof(IngressOptions.JoinHost) })
            .PublishAsKubernetesDeployment()
            .WithCommand(InviteLinkCommand.Name, "Create invite link", context => InviteLinkCommand.ExecuteAsync(context, project, dendrite, admin), new CommandOptions
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
                onboarding.WithEnvironment(string.Create(CultureInfo.InvariantCulture, $"Onboarding__TrustedProxies__{i}"), options.TrustedProxies[i]);
            }

            onboarding
                .WithEnvironment("Onboarding__DataDirectory", ContainerDataDirectory)
                .WithAnnotation(new ContainerMountAnnotation($"{dendriteHost.VolumePrefix}-{DataVolumeSuffix}", ContainerDataDirectory, ContainerMountType.Volume, isReadOnly: false));
        }
        else
        {
            onboarding.WithEnvironment("Onboarding__DataDirectory", LocalDataDirectory(dendriteHost.VolumePrefix));
        }

        return onboarding;
    }

    /// <summary>Links the success page to Element Web.</summary>
    public static IResourceBuilder<ProjectResource> WithElementWeb(this IResourceBuilder<ProjectResource> onboarding, IResourceBuilder<ElementResource> element)
    {
        ArgumentNullException.ThrowIfNull(onboarding);
        ArgumentNullException.ThrowIfNull(element);
        var context = onboarding.ApplicationBuilder.ExecutionContext;
        var configuration = onboarding.ApplicationBuilder.Configuration;
        return onboarding.WithEnvironment("Onboarding__ElementUrl", () => ElementBuilderExtensions.PublicUrl(element.Resource, context, configuration));
    }

    /// <summary>
    /// Locally the service runs as a process on this machine, so its state sits in a directory named like the
    /// volumes (<c>~/.local/share/dendrite-aspire/&lt;prefix&gt;-onboarding-data</c>), outside the checkout.
    /// </summary>
    internal static string LocalDataDirectory(string volumePrefix) =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create),
            "dendrite-aspire", string.Create(CultureInfo.InvariantCulture, $"{volumePrefix}-{DataVolumeSuffix}"));
}
