using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using DendriteAspire.ConfigRenderer.Settings;
using DendriteAspire.Hosting;
using DendriteAspire.Hosting.Kubernetes;

namespace DendriteAspire.AppHost.Tests;

/// <summary>
/// The integration as a second AppHost uses it: options made in code, no configuration file and no <c>Dendrite</c>
/// section, and two homeservers in one model. Every generated parameter and step is named after its resource.
/// </summary>
public class ModelWithoutConfigurationTests
{
    private static DendriteOptions Options(string serverName, string volumePrefix, int hostPort) => new()
    {
        Settings = new DendriteSettings { ServerName = serverName },
        VolumePrefix = volumePrefix,
        HostPort = hostPort,
    };

    [Fact]
    public void Two_dendrites_in_one_model_get_parameters_steps_and_volumes_of_their_own()
    {
        var builder = DistributedApplication.CreateBuilder();
        var home = builder.AddDendrite("home", Options("home.example", "home", 8101))
            .WithKeyGeneration().WithPersistentState().WithBootstrapAdmin(new BootstrapAdminOptions()).WithAccountCommands();
        var work = builder.AddDendrite("work", Options("work.example", "work", 8102))
            .WithKeyGeneration().WithPersistentState().WithBootstrapAdmin(new BootstrapAdminOptions { UserName = "boss" }).WithAccountCommands();

        var names = builder.Resources.Select(r => r.Name).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Contains("home-registration-secret", names);
        Assert.Contains("work-registration-secret", names);
        Assert.Contains("home-admin-password", names);
        Assert.Contains("work-admin-password", names);
        Assert.Contains("home-keygen", names);
        Assert.Contains("work-keygen", names);
        Assert.Equal("home-registration-secret", home.Resource.RegistrationSharedSecret!.Name);
        Assert.Equal("work-registration-secret", work.Resource.RegistrationSharedSecret!.Name);
        Assert.Equal("boss", work.Resource.Annotations.OfType<BootstrapAdminAnnotation>().Single().UserName);

        var homeVolumes = home.Resource.Annotations.OfType<ContainerMountAnnotation>().Select(m => m.Source).ToList();
        var workVolumes = work.Resource.Annotations.OfType<ContainerMountAnnotation>().Select(m => m.Source).ToList();
        Assert.Contains("home-jetstream", homeVolumes);
        Assert.Contains("work-jetstream", workVolumes);
        Assert.Empty(homeVolumes.Intersect(workVolumes));
    }

    [Fact]
    public void The_default_resource_keeps_the_parameter_names_user_secrets_already_hold()
    {
        var builder = DistributedApplication.CreateBuilder();
        builder.AddDendrite("dendrite", Options("family.example", "dendriteaspire", 8008)).WithBootstrapAdmin(new BootstrapAdminOptions());

        Assert.Equal("dendrite-registration-secret", DendriteBuilderExtensions.RegistrationSecretParameterName);
        Assert.Equal("dendrite-admin-password", DendriteAccountsBuilderExtensions.AdminPasswordParameterName);
        Assert.Contains(builder.Resources, r => r is ParameterResource { Name: DendriteBuilderExtensions.RegistrationSecretParameterName });
        Assert.Contains(builder.Resources, r => r is ParameterResource { Name: DendriteAccountsBuilderExtensions.AdminPasswordParameterName });
        Assert.Equal("onboarding-invite-secret", OnboardingBuilderExtensions.InviteSecretParameterNameFor("onboarding"));
        Assert.Equal(OnboardingBuilderExtensions.InviteSecretParameterName, OnboardingBuilderExtensions.InviteSecretParameterNameFor("onboarding"));
    }

    [Fact]
    public void A_registration_secret_of_your_own_leaves_no_generated_parameter_behind()
    {
        var builder = DistributedApplication.CreateBuilder();
        var secret = builder.AddParameter("family-registration-secret", secret: true);
        var dendrite = builder.AddDendrite("dendrite", Options("family.example", "dendriteaspire", 8008)).WithRegistrationSharedSecret(secret);

        Assert.Same(secret.Resource, dendrite.Resource.RegistrationSharedSecret);
        Assert.DoesNotContain(builder.Resources, r => r.Name == "dendrite-registration-secret");
    }

    [Fact]
    public void Options_made_in_code_are_checked_like_settings()
    {
        var builder = DistributedApplication.CreateBuilder();

        var error = Assert.Throws<DendriteSettingsException>(() => builder.AddDendrite("dendrite", new DendriteOptions { Settings = new DendriteSettings { ServerName = "family.example" }, ImageTag = "latest" }));
        Assert.Contains(error.Errors, e => e.Path == "Dendrite:ImageTag");
    }

    [Fact]
    public void Account_commands_and_onboarding_need_the_bootstrap_admin_to_be_declared_first()
    {
        var builder = DistributedApplication.CreateBuilder();
        var dendrite = builder.AddDendrite("dendrite", Options("family.example", "dendriteaspire", 8008));

        Assert.Throws<InvalidOperationException>(() => dendrite.WithAccountCommands());
        Assert.Throws<InvalidOperationException>(() => builder.AddFamilyOnboarding<Projects.Onboarding>("onboarding", dendrite, new FamilyOnboardingOptions()));
    }

    [Fact]
    public void Each_dendrite_gets_an_import_token_of_its_own_named_after_it()
    {
        var builder = DistributedApplication.CreateBuilder();
        var home = builder.AddDendrite("home", new DendriteOptions
        {
            Settings = new DendriteSettings { ServerName = "home.example", Import = { Enabled = true } },
            VolumePrefix = "home",
            HostPort = 8101,
        });
        var work = builder.AddDendrite("work", Options("work.example", "work", 8102))
            .WithBootstrapAdmin(new BootstrapAdminOptions()).WithSlackImportCommand();

        Assert.Equal("home-import-token", home.Resource.ImportToken?.Name);
        Assert.Equal("work-import-token", work.Resource.ImportToken?.Name);
        Assert.Contains(builder.Resources, r => r is ParameterResource { Name: "home-import-token", Secret: true });
        Assert.Contains(builder.Resources, r => r is ParameterResource { Name: "work-import-token", Secret: true });
        Assert.DoesNotContain(builder.Resources, r => r.Name == DendriteImport.TokenParameterName);
        Assert.Equal(DendriteImport.TokenParameterName, DendriteImport.TokenParameterNameFor("dendrite"));
    }

    [Fact]
    public void Without_the_import_a_dendrite_has_no_import_token()
    {
        var builder = DistributedApplication.CreateBuilder();
        var dendrite = builder.AddDendrite("dendrite", Options("family.example", "dendriteaspire", 8008)).WithBootstrapAdmin(new BootstrapAdminOptions());

        Assert.Null(dendrite.Resource.ImportToken);
        Assert.DoesNotContain(builder.Resources, r => r.Name.EndsWith("-import-token", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_slack_import_command_needs_the_bootstrap_admin_declared_first(bool publish)
    {
        var builder = DistributedApplication.CreateBuilder(publish ? ["--operation", "publish"] : []);
        var family = builder.AddDendrite("family", Options("family.example", "family", 8008));

        var error = Assert.Throws<InvalidOperationException>(() => family.WithSlackImportCommand());
        Assert.Contains("'family'", error.Message, StringComparison.Ordinal);
        Assert.Contains("call WithBootstrapAdmin first", error.Message, StringComparison.Ordinal);
        Assert.Null(family.Resource.ImportToken);

        family.WithBootstrapAdmin(new BootstrapAdminOptions()).WithSlackImportCommand();
        Assert.Equal(!publish, family.Resource.Annotations.OfType<ResourceCommandAnnotation>().Any(c => c.Name == SlackImportCommand.Name));
    }

    [Fact]
    public void The_kubernetes_environment_takes_its_options_in_code()
    {
        var builder = DistributedApplication.CreateBuilder(["--operation", "publish"]);
        var environment = builder.AddKubernetesEnvironment("k8s", new KubernetesPublishOptions { Namespace = "family" }, "dendriteaspire");

        Assert.Equal("family", environment.Resource.Options.Namespace);
        Assert.Equal("dendriteaspire", environment.Resource.VolumePrefix);
    }
}
