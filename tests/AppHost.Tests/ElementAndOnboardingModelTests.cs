using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using DendriteAspire.Hosting;
using DendriteAspire.Hosting.Kubernetes;

namespace DendriteAspire.AppHost.Tests;

/// <summary>The Element Web and onboarding resources as the AppHost builds them, without starting anything.</summary>
public class ElementAndOnboardingModelTests
{
    [Fact]
    public async Task Element_is_on_by_default_pinned_and_listens_on_host_port_8080()
    {
        await using var app = await AppModel.BuildAsync();
        var element = app.Resource<ElementResource>("element");

        var image = element.Annotations.OfType<ContainerImageAnnotation>().Last();
        Assert.Equal(("docker.io", "vectorim/element-web", "v1.11.31"), (image.Registry, image.Image, image.Tag));
        var endpoint = element.Annotations.OfType<EndpointAnnotation>().Single();
        Assert.Equal((8080, 80), (endpoint.Port, endpoint.TargetPort));
        Assert.Same(app.Resource<DendriteResource>("dendrite"), element.Homeserver);
        Assert.Contains(element.Annotations.OfType<WaitAnnotation>(), w => w.Resource.Name == "dendrite");
        Assert.True(element.HasAnnotationOfType<KubernetesDeploymentAnnotation>());
    }

    [Fact]
    public async Task Element_can_be_switched_off_and_its_image_and_port_changed()
    {
        await using (var off = await AppModel.BuildAsync("--Dendrite:Client:Enabled=false"))
        {
            Assert.DoesNotContain(off.Model.Resources, r => r.Name == "element");
            Assert.Contains(off.Model.Resources, r => r.Name == "onboarding");
        }

        await using var app = await AppModel.BuildAsync("--Dendrite:Client:ImageTag=v1.11.40", "--Dendrite:Client:Registry=registry.home.lan", "--Dendrite:Client:HostPort=0");
        var element = app.Resource<ElementResource>("element");
        var image = element.Annotations.OfType<ContainerImageAnnotation>().Last();
        Assert.Equal(("registry.home.lan", "v1.11.40"), (image.Registry, image.Tag));
        Assert.Null(element.Annotations.OfType<EndpointAnnotation>().Single().Port);
    }

    [Theory]
    [InlineData("--Dendrite:Client:ImageTag=latest", "Dendrite:Client:ImageTag")]
    [InlineData("--Dendrite:Client:ImageTag=develop", "Dendrite:Client:ImageTag")]
    [InlineData("--Dendrite:Client:HostPort=70000", "Dendrite:Client:HostPort")]
    [InlineData("--Dendrite:Client:PublicUrl=chat.family.example", "Dendrite:Client:PublicUrl")]
    [InlineData("--Dendrite:Onboarding:HostPort=-1", "Dendrite:Onboarding:HostPort")]
    [InlineData("--Dendrite:Onboarding:PublicUrl=ftp://join", "Dendrite:Onboarding:PublicUrl")]
    [InlineData("--Dendrite:Onboarding:TrustedProxies=10.0.0.0/8,the ingress", "Dendrite:Onboarding:TrustedProxies")]
    public async Task Bad_client_and_onboarding_settings_stop_the_build_naming_the_key(string argument, string key)
    {
        var error = await Assert.ThrowsAsync<DendriteSettingsException>(() => AppModel.BuildAsync(argument));
        Assert.Contains(error.Errors, e => e.Path == key);
    }

    [Fact]
    public async Task Element_config_points_at_the_homeserver_and_turns_off_guests_3pid_registration_and_identity_servers()
    {
        await using var app = await AppModel.BuildAsync("--Dendrite:ServerName=family.example", "--Dendrite:WellKnown:ClientUrl=https://matrix.family.example");
        var file = app.Resource<ElementResource>("element").Annotations.OfType<RenderedConfigFileAnnotation>().Single();

        Assert.Equal(("/app", "config.json", false, true), (file.Directory, file.FileName, file.HoldsSecrets, file.SharesDirectory));
        using var config = JsonDocument.Parse(await file.Render((_, _) => throw new InvalidOperationException("Element's config resolves no model values"), TestContext.Current.CancellationToken));
        var root = config.RootElement;
        var homeserver = root.GetProperty("default_server_config").GetProperty("m.homeserver");
        Assert.Equal("https://matrix.family.example", homeserver.GetProperty("base_url").GetString());
        Assert.Equal("family.example", homeserver.GetProperty("server_name").GetString());
        Assert.True(root.GetProperty("disable_guests").GetBoolean());
        Assert.True(root.GetProperty("disable_3pid_login").GetBoolean());
        Assert.False(root.GetProperty("setting_defaults").GetProperty("UIFeature.registration").GetBoolean());
        Assert.False(root.GetProperty("setting_defaults").GetProperty("UIFeature.identityServer").GetBoolean());
        Assert.False(root.TryGetProperty("default_identity_server", out _));
        Assert.False(root.GetProperty("default_server_config").TryGetProperty("m.identity_server", out _));
    }

    [Fact]
    public async Task Element_gets_its_config_as_a_read_only_container_file_in_app()
    {
        await using var app = await AppModel.BuildAsync();
        var files = app.Resource<ElementResource>("element").Annotations.OfType<ContainerFileSystemCallbackAnnotation>().Single();

        Assert.Equal("/app", files.DestinationPath);
        var items = await files.Callback(new ContainerFileSystemCallbackContext { Model = app.Resource<ElementResource>("element"), Services = app.App.Services }, TestContext.Current.CancellationToken);
        var config = Assert.IsType<ContainerFile>(Assert.Single(items));
        Assert.Equal("config.json", config.Name);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, config.Mode);
        Assert.Contains("\"base_url\": \"http://localhost:8008\"", config.Contents, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Onboarding_waits_for_dendrite_finds_it_by_service_discovery_and_listens_on_8010()
    {
        await using var app = await AppModel.BuildAsync();
        var onboarding = app.Resource<ProjectResource>("onboarding");

        Assert.Contains(onboarding.Annotations.OfType<WaitAnnotation>(), w => w.Resource.Name == "dendrite" && w.WaitType == WaitType.WaitUntilHealthy);
        Assert.Equal(8010, onboarding.Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == "http").Port);
        Assert.Contains(onboarding.Annotations.OfType<ResourceCommandAnnotation>(), c => c.Name == "create-invite-link" && c.DisplayName == "Create invite link");
        Assert.True(onboarding.HasAnnotationOfType<KubernetesDeploymentAnnotation>());

        var environment = await RawEnvironmentAsync(onboarding);
        Assert.Equal("http://dendrite", environment["Onboarding__DendriteUrl"]);
        Assert.Equal("dendrite", Assert.IsType<EndpointReference>(environment["services__dendrite__http__0"]).Resource.Name);
        Assert.Equal("localhost", environment["Onboarding__ServerName"]);
        Assert.Equal("Family", environment["Onboarding__FamilyRoomName"]);
        Assert.Equal("admin", environment["Onboarding__AdminUserName"]);
    }

    [Fact]
    public async Task Onboarding_never_gets_the_bootstrap_admins_password_only_the_room_owners_and_dendrite_makes_that_owner()
    {
        await using var app = await AppModel.BuildAsync("--Dendrite:Family:RoomName=Our Family");
        var onboarding = app.Resource<ProjectResource>("onboarding");
        var raw = await RawEnvironmentAsync(onboarding);
        var adminPassword = app.Resource<ParameterResource>("dendrite-admin-password");

        Assert.DoesNotContain(raw, e => ReferenceEquals(e.Value, adminPassword));
        Assert.DoesNotContain(raw.Keys, k => k.Contains("AdminPassword", StringComparison.Ordinal));
        var resolved = await ResolvedEnvironmentAsync(onboarding);
        Assert.DoesNotContain(resolved.Values, v => v.Contains(AppModel.AdminPassword, StringComparison.Ordinal));

        // Dendrite's bootstrap step makes the owner (no admin) and hands it the room named after the setting.
        var owner = Assert.Single(app.Resource<DendriteResource>("dendrite").Annotations.OfType<FamilyRoomOwnerAnnotation>());
        Assert.Equal(("family-rooms", "onboarding-room-owner-password", "our-family"), (owner.UserName, owner.Password.Name, owner.RoomAliasName));
        Assert.Equal("onboarding-room-owner-password", OnboardingBuilderExtensions.RoomOwnerPasswordParameterNameFor("onboarding"));
    }

    [Fact]
    public async Task Onboarding_gets_the_secrets_as_parameters_never_as_text_in_the_model()
    {
        await using var app = await AppModel.BuildAsync("--Dendrite:Family:RoomName=Our Family");
        var onboarding = app.Resource<ProjectResource>("onboarding");
        var raw = await RawEnvironmentAsync(onboarding);

        Assert.Equal("onboarding-invite-secret", Assert.IsType<ParameterResource>(raw["Onboarding__InviteSecret"]).Name);
        Assert.Equal("dendrite-registration-secret", Assert.IsType<ParameterResource>(raw["Onboarding__RegistrationSecret"]).Name);
        Assert.Equal("onboarding-room-owner-password", Assert.IsType<ParameterResource>(raw["Onboarding__RoomOwnerPassword"]).Name);
        Assert.Equal("family-rooms", raw["Onboarding__RoomOwnerUserName"]);
        Assert.True(app.Resource<ParameterResource>("onboarding-invite-secret").Secret);
        Assert.True(app.Resource<ParameterResource>("onboarding-room-owner-password").Secret);
        Assert.Equal("Our Family", raw["Onboarding__FamilyRoomName"]);
        Assert.Equal("http://localhost:8010", raw["Onboarding__PublicUrl"].ToString());
    }

    [Fact]
    public async Task Onboarding_host_port_0_lets_aspire_choose()
    {
        await using var app = await AppModel.BuildAsync("--Dendrite:Onboarding:HostPort=0");

        Assert.Null(app.Resource<ProjectResource>("onboarding").Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == "http").Port);
    }

    /// <summary>The environment as the model holds it: parameters and endpoints unresolved.</summary>
    private static async Task<Dictionary<string, object>> RawEnvironmentAsync(ProjectResource resource)
    {
        var raw = new Dictionary<string, object>();
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish), resource, raw, TestContext.Current.CancellationToken));
        }

        return raw;
    }

    /// <summary>Every parameter in the environment, resolved to its value (what the process would receive).</summary>
    private static async Task<Dictionary<string, string>> ResolvedEnvironmentAsync(ProjectResource resource)
    {
        var resolved = new Dictionary<string, string>();
        foreach (var (name, value) in await RawEnvironmentAsync(resource))
        {
            resolved[name] = value is ParameterResource parameter
                ? await parameter.GetValueAsync(TestContext.Current.CancellationToken) ?? ""
                : value?.ToString() ?? "";
        }

        return resolved;
    }
}
