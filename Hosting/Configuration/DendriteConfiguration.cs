using DendriteAspire.ConfigRenderer.Rendering;
using DendriteAspire.ConfigRenderer.Settings;
using DendriteAspire.Hosting.Kubernetes;
using Microsoft.Extensions.Configuration;

namespace DendriteAspire.Hosting.Configuration;

/// <summary>
/// The binder: reads the whole <c>Dendrite</c> configuration section (appsettings.json, user secrets, environment,
/// command line) once, into <see cref="DendriteAppHostSettings"/>, and checks it completely. An unknown key in any
/// subsection, a value of the wrong type or a broken rule stops the AppHost here, before anything starts or is
/// written, with every problem at once as <c>error: &lt;key&gt;: &lt;fix&gt;</c> (exit code 2, see
/// <see cref="DendriteAppHost"/>). Nothing else in the integration reads configuration.
/// </summary>
public static class DendriteConfiguration
{
    /// <summary>The configuration section every setting lives under.</summary>
    public const string SectionName = DendriteHostOptions.SectionName;

    private const string KeyPrefix = SectionName + ":";

    /// <summary>Binds and checks the <c>Dendrite</c> section.</summary>
    /// <param name="configuration">The AppHost's configuration (<c>builder.Configuration</c>).</param>
    /// <returns>The options each <c>AddX</c> takes.</returns>
    /// <exception cref="DendriteSettingsException">A key is unknown, a value has the wrong type or breaks a rule.</exception>
    /// <example>
    /// <code>
    /// var settings = DendriteConfiguration.Bind(builder.Configuration);
    /// var dendrite = builder.AddDendrite("dendrite", settings.Dendrite);
    /// </code>
    /// </example>
    public static DendriteAppHostSettings Bind(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(SectionName);
        var errors = new List<ConfigFinding>();

        var kubernetes = section.GetSection("Kubernetes").Get<KubernetesPublishOptions>() ?? new KubernetesPublishOptions();
        var dendrite = BindDendrite(section, kubernetes, errors);
        var admin = BindAdmin(section.GetSection(BootstrapAdminOptions.SectionKey), errors);
        var client = BindClient(section.GetSection("Client"), errors);
        var onboarding = BindOnboarding(section.GetSection("Onboarding"), section.GetSection("Family"), errors);
        var backup = BindBackup(section.GetSection(BackupSettings.SectionKey), errors);
        errors.AddRange(KnownKeys.Unknown<KubernetesPublishOptions>(section.GetSection("Kubernetes")));

        return errors.Count > 0
            ? throw new DendriteSettingsException(errors)
            : new DendriteAppHostSettings { Dendrite = dendrite, Admin = admin, Client = client, Onboarding = onboarding, Backup = backup, Kubernetes = kubernetes };
    }

    /// <summary>
    /// The settings <c>dendrite.yaml</c> is rendered from (ConfigRenderer's strict binder, which leaves the host's keys
    /// alone) and the host keys. The rendered config is checked only when everything else about Dendrite is clean.
    /// </summary>
    private static DendriteOptions BindDendrite(IConfigurationSection section, KubernetesPublishOptions kubernetes, List<ConfigFinding> errors)
    {
        var bound = DendriteSettingsBinder.Bind(section, KeyPrefix, DendriteHostOptions.Keys);
        // Metrics are on unless switched off: /metrics behind basic auth with a generated password (DendriteMetrics).
        if (section.GetSection("Metrics")["Enabled"] is null)
        {
            bound.Settings.Metrics.Enabled = true;
        }

        var defaults = new DendriteOptions();
        var (registry, image) = SplitRegistry(NonEmpty(section["Image"]) ?? defaults.Image);
        var lifetime = NonEmpty(section["Lifetime"]);
        var lifetimeKnown = lifetime is null || Enum.GetNames<ContainerLifetime>().Contains(lifetime, StringComparer.OrdinalIgnoreCase);
        var ingress = kubernetes.Ingress;
        var options = new DendriteOptions
        {
            Settings = bound.Settings,
            Registry = registry ?? NonEmpty(section["Registry"]) ?? defaults.Registry,
            Image = image,
            ImageTag = NonEmpty(section["ImageTag"]) ?? defaults.ImageTag,
            VolumePrefix = NonEmpty(section["VolumePrefix"]) ?? defaults.VolumePrefix,
            HostPort = section.GetValue("HostPort", defaults.HostPort),
            Lifetime = lifetime is not null && lifetimeKnown ? Enum.Parse<ContainerLifetime>(lifetime, ignoreCase: true) : defaults.Lifetime,
            PublicHosts = new PublicHosts { Homeserver = NonEmpty(ingress.Host), Client = NonEmpty(ingress.ClientHost), Join = NonEmpty(ingress.JoinHost) },
        };

        var dendriteErrors = bound.Findings.Where(f => f.Severity == FindingSeverity.Error)
            .Concat(DendriteOptionsRules.HostErrors(options))
            .ToList();
        if (!lifetimeKnown)
        {
            dendriteErrors.Add(DendriteHostOptions.Error("Lifetime", $"\"{lifetime}\" is not a lifetime; use Session (the default: Dendrite stops with the AppHost) or Persistent (it keeps running across AppHost restarts)"));
        }

        dendriteErrors.AddRange(DendriteOptionsRules.ForbiddenSettings(bound.Settings, DendriteBuilderExtensions.RegistrationSecretParameterName, DendriteImport.TokenParameterName));
        if (dendriteErrors.Count == 0)
        {
            dendriteErrors.AddRange(DendriteOptionsRules.RenderErrors(bound.Settings));
        }

        errors.AddRange(dendriteErrors);
        return options;
    }

    /// <summary><c>Dendrite:Admin</c>: the user name only; the password is never a setting.</summary>
    private static BootstrapAdminOptions BindAdmin(IConfigurationSection section, List<ConfigFinding> errors)
    {
        errors.AddRange(section.GetChildren()
            .Where(child => !string.Equals(child.Key, BootstrapAdminOptions.UserNameKey, StringComparison.OrdinalIgnoreCase))
            .Select(child => BootstrapAdminOptions.UnknownKey(child.Key)));
        var options = new BootstrapAdminOptions { UserName = NonEmpty(section[BootstrapAdminOptions.UserNameKey]) ?? BootstrapAdminOptions.DefaultUserName };
        errors.AddRange(options.Validate());
        return options;
    }

    /// <summary><c>Dendrite:Client</c>: Element Web. Its values are checked only when it runs.</summary>
    private static ElementWebOptions BindClient(IConfigurationSection section, List<ConfigFinding> errors)
    {
        errors.AddRange(KnownKeys.Unknown(section, ElementWebOptions.Keys));
        var defaults = new ElementWebOptions();
        var options = new ElementWebOptions
        {
            Enabled = section.GetValue(nameof(ElementWebOptions.Enabled), defaults.Enabled),
            Registry = NonEmpty(section[nameof(ElementWebOptions.Registry)]) ?? defaults.Registry,
            Image = NonEmpty(section[nameof(ElementWebOptions.Image)]) ?? defaults.Image,
            ImageTag = NonEmpty(section[nameof(ElementWebOptions.ImageTag)]) ?? defaults.ImageTag,
            HostPort = section.GetValue(nameof(ElementWebOptions.HostPort), defaults.HostPort),
            PublicUrl = NonEmpty(section[nameof(ElementWebOptions.PublicUrl)]),
        };
        if (options.Enabled)
        {
            errors.AddRange(options.Validate());
        }

        return options;
    }

    /// <summary><c>Dendrite:Onboarding</c> and <c>Dendrite:Family</c>: the onboarding service and the family room.</summary>
    private static FamilyOnboardingOptions BindOnboarding(IConfigurationSection section, IConfigurationSection family, List<ConfigFinding> errors)
    {
        errors.AddRange(KnownKeys.Unknown(section, FamilyOnboardingOptions.Keys));
        errors.AddRange(KnownKeys.Unknown(family, FamilyOnboardingOptions.FamilyKeys));
        var defaults = new FamilyOnboardingOptions();
        var options = new FamilyOnboardingOptions
        {
            HostPort = section.GetValue(nameof(FamilyOnboardingOptions.HostPort), defaults.HostPort),
            PublicUrl = NonEmpty(section[nameof(FamilyOnboardingOptions.PublicUrl)]),
            FamilyRoomName = NonEmpty(family["RoomName"]) ?? defaults.FamilyRoomName,
            TrustedProxies = NonEmpty(section[nameof(FamilyOnboardingOptions.TrustedProxies)]) is { } proxies
                ? [.. proxies.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
                : defaults.TrustedProxies,
        };
        errors.AddRange(options.Validate());
        return options;
    }

    /// <summary><c>Dendrite:Backup</c>: Directory, Every, Keep, IncludeSecrets.</summary>
    private static DendriteBackupOptions BindBackup(IConfigurationSection section, List<ConfigFinding> errors)
    {
        errors.AddRange(KnownKeys.Unknown(section, BackupSettings.Keys));
        return BackupSettings.Parse(key => section[key], errors);
    }

    /// <summary><c>ghcr.io/element-hq/dendrite-monolith</c> names its own registry; <c>matrixdotorg/...</c> does not.</summary>
    private static (string? Registry, string Image) SplitRegistry(string image)
    {
        var slash = image.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && (image[..slash].Contains('.', StringComparison.Ordinal) || image[..slash].Contains(':', StringComparison.Ordinal) || image[..slash] == "localhost"))
        {
            return (image[..slash], image[(slash + 1)..]);
        }

        return (null, image);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
