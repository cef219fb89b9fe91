using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Postgres;
using DendriteAspire.Hosting;
using DendriteAspire.Hosting.Kubernetes;
using DendriteAspire.ConfigRenderer.Layout;
using DendriteAspire.ConfigRenderer.Rendering;
using DendriteAspire.ConfigRenderer.Settings;

namespace DendriteAspire.AppHost.Tests;

public class DendriteModelTests
{
    [Fact]
    public async Task Default_model_has_dendrite_and_its_key_step_and_no_postgres()
    {
        await using var app = await AppModel.BuildAsync();

        var names = app.Model.Resources.Select(r => r.Name).ToHashSet();
        Assert.Contains("dendrite", names);
        Assert.Contains("dendrite-keygen", names);
        Assert.Contains("dendrite-registration-secret", names);
        Assert.DoesNotContain("postgres", names);
        Assert.DoesNotContain("k8s", names); // the Kubernetes environment stays out of the run model
    }

    [Fact]
    public async Task Image_is_pinned_and_the_tag_can_be_overridden()
    {
        await using (var app = await AppModel.BuildAsync())
        {
            var image = app.Resource<DendriteResource>("dendrite").Annotations.OfType<ContainerImageAnnotation>().Last();
            Assert.Equal("docker.io", image.Registry);
            Assert.Equal("matrixdotorg/dendrite-monolith", image.Image);
            Assert.Equal("v0.15.2", image.Tag);
        }

        await using (var app = await AppModel.BuildAsync("--Dendrite:ImageTag=v0.13.8"))
        {
            foreach (var name in new[] { "dendrite", "dendrite-keygen" })
            {
                Assert.Equal("v0.13.8", app.Resource<ContainerResource>(name).Annotations.OfType<ContainerImageAnnotation>().Last().Tag);
            }
        }
    }

    [Fact]
    public async Task An_image_with_its_own_registry_keeps_it()
    {
        await using var app = await AppModel.BuildAsync("--Dendrite:Image=ghcr.io/element-hq/dendrite-monolith", "--Dendrite:ImageTag=v0.14.1");
        var image = app.Resource<DendriteResource>("dendrite").Annotations.OfType<ContainerImageAnnotation>().Last();
        Assert.Equal(("ghcr.io", "element-hq/dendrite-monolith", "v0.14.1"), (image.Registry, image.Image, image.Tag));
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("main")]
    [InlineData("v0.12.0")]
    public async Task Unpinned_or_too_old_image_tags_are_rejected_with_the_key_path(string tag)
    {
        var error = await Assert.ThrowsAsync<DendriteSettingsException>(() => AppModel.BuildAsync($"--Dendrite:ImageTag={tag}"));
        Assert.Contains(error.Errors, e => e.Path == "Dendrite:ImageTag");
    }

    [Fact]
    public async Task Every_piece_of_state_is_on_a_named_volume_at_the_layout_path()
    {
        await using var app = await AppModel.BuildAsync("--Dendrite:VolumePrefix=famtest");
        var mounts = app.Resource<DendriteResource>("dendrite").Annotations.OfType<ContainerMountAnnotation>().ToList();

        var expected = new Dictionary<string, string>
        {
            ["famtest-jetstream"] = DendritePaths.JetStream,
            ["famtest-sqlite"] = DendritePaths.Sqlite,
            ["famtest-media"] = DendritePaths.Media,
            ["famtest-logs"] = DendritePaths.Logs,
            ["famtest-storage-keys"] = DendritePaths.StorageKeys,
            ["famtest-searchindex"] = DendritePaths.SearchIndex,
        };
        Assert.Equal(expected.Count, mounts.Count);
        foreach (var mount in mounts)
        {
            Assert.Equal(ContainerMountType.Volume, mount.Type);
            Assert.Equal(expected[mount.Source!], mount.Target);
            Assert.Equal(mount.Target == DendritePaths.StorageKeys, mount.IsReadOnly);
        }

        var keygenMount = Assert.Single(app.Resource<ContainerResource>("dendrite-keygen").Annotations.OfType<ContainerMountAnnotation>());
        Assert.Equal("famtest-storage-keys", keygenMount.Source);
        Assert.False(keygenMount.IsReadOnly);
    }

    [Fact]
    public async Task Config_is_delivered_read_only_at_etc_dendrite_and_equals_the_renderer_output()
    {
        await using var app = await AppModel.BuildAsync();
        var dendrite = app.Resource<DendriteResource>("dendrite");

        var files = Assert.Single(dendrite.Annotations.OfType<ContainerFileSystemCallbackAnnotation>());
        Assert.Equal(DendritePaths.ConfigDirectory, files.DestinationPath);
        var items = await files.Callback(new ContainerFileSystemCallbackContext { Model = dendrite, Services = app.App.Services }, TestContext.Current.CancellationToken);
        var file = Assert.IsType<ContainerFile>(Assert.Single(items));

        Assert.Equal(DendritePaths.ConfigFileName, file.Name);
        const UnixFileMode anyWrite = UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
        Assert.Equal((UnixFileMode)0, file.Mode & anyWrite);
        Assert.Equal((UnixFileMode)0, file.Mode & UnixFileMode.OtherRead);

        var expected = ExpectedRender(dendrite.Settings, AppModel.Secret, AppModel.MetricsPassword);
        Assert.Equal(expected, file.Contents);
        Assert.Equal(["-config", DendritePaths.ConfigFile], await Arguments(dendrite));
    }

    [Fact]
    public async Task Dendrite_waits_for_the_key_step_to_complete_and_the_key_step_only_writes_a_missing_key()
    {
        await using var app = await AppModel.BuildAsync();
        var dendrite = app.Resource<DendriteResource>("dendrite");
        var keygen = app.Resource<DendriteKeyGenerationResource>("dendrite-keygen");

        var wait = Assert.Single(dendrite.Annotations.OfType<WaitAnnotation>(), w => w.Resource == keygen);
        Assert.Equal(WaitType.WaitForCompletion, wait.WaitType);
        Assert.Equal(0, wait.ExitCode);

        Assert.Equal("/bin/sh", keygen.Entrypoint);
        var script = (await Arguments(keygen))[1];
        Assert.Contains($"key={DendritePaths.SigningKey}", script, StringComparison.Ordinal);
        Assert.Contains("if [ -s \"$key\" ]", script, StringComparison.Ordinal);
        var guard = script.IndexOf("if [ -s \"$key\" ]", StringComparison.Ordinal);
        Assert.True(guard < script.IndexOf("/usr/bin/generate-keys", StringComparison.Ordinal), "generate-keys must run only behind the existence check");
        Assert.DoesNotContain("-tls-cert", script, StringComparison.Ordinal); // federation is off
    }

    [Fact]
    public async Task Http_endpoint_probes_and_health_check_use_dendrites_monitor_paths()
    {
        await using var app = await AppModel.BuildAsync();
        var dendrite = app.Resource<DendriteResource>("dendrite");

        var endpoint = Assert.Single(dendrite.Annotations.OfType<EndpointAnnotation>());
        Assert.Equal("http", endpoint.Name);
        Assert.Equal(8008, endpoint.TargetPort);
        Assert.Equal(8008, endpoint.Port);

        var probes = dendrite.Annotations.OfType<EndpointProbeAnnotation>().ToDictionary(p => p.Type, p => p.Path);
        Assert.Equal("/_dendrite/monitor/up", probes[ProbeType.Startup]);
        Assert.Equal("/_dendrite/monitor/health", probes[ProbeType.Readiness]);
        Assert.Equal("/_dendrite/monitor/up", probes[ProbeType.Liveness]);
        Assert.Contains(dendrite.Annotations.OfType<HealthCheckAnnotation>(), h => h.Key.Contains("/_dendrite/monitor/health", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Federation_publishes_8448_with_tls_only_when_enabled()
    {
        await using var app = await AppModel.BuildAsync("--Dendrite:Federation:Enabled=true");
        var dendrite = app.Resource<DendriteResource>("dendrite");

        var federation = Assert.Single(dendrite.Annotations.OfType<EndpointAnnotation>(), e => e.Name == "federation");
        Assert.Equal(8448, federation.TargetPort);
        Assert.Equal(8448, federation.Port); // not proxied, so DCP needs the host port spelled out
        var args = await Arguments(dendrite);
        Assert.Contains("-tls-cert", args);
        Assert.Contains("-tls-cert", (await Arguments(app.Resource<ContainerResource>("dendrite-keygen")))[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Postgres_switch_adds_server_and_database_and_dendrite_waits_for_the_database()
    {
        await using var app = await AppModel.BuildAsync("--Dendrite:Database:Provider=Postgres", "--Dendrite:VolumePrefix=pgtest");

        var server = app.Resource<PostgresServerResource>("postgres");
        var database = app.Resource<PostgresDatabaseResource>("dendrite-db");
        Assert.Equal("dendrite", database.DatabaseName);
        Assert.True(server.PasswordParameter.Secret);
        var dataVolume = Assert.Single(server.Annotations.OfType<ContainerMountAnnotation>());
        Assert.Equal("pgtest-postgres-data", dataVolume.Source);

        var dendrite = app.Resource<DendriteResource>("dendrite");
        Assert.Same(database, dendrite.Database);
        Assert.Contains(dendrite.Annotations.OfType<WaitAnnotation>(), w => w.Resource == database && w.WaitType == WaitType.WaitUntilHealthy);

        // dendrite.yaml; beside it, in run mode, the Slack import's registration (loaded only while importing).
        var file = Assert.Single(dendrite.Annotations.OfType<RenderedConfigFileAnnotation>(), f => f.FileName == DendritePaths.ConfigFileName);
        var yaml = await file.Render(FixedValues, TestContext.Current.CancellationToken);
        var settings = SettingsWith(dendrite.Settings, s => s.Database.ConnectionString = "postgres://dendrite@db:5432/dendrite?sslmode=disable");
        Assert.Equal(ExpectedRender(settings, "fixed-secret", "fixed-secret"), yaml);
    }

    [Fact]
    public async Task Metrics_are_on_by_default_behind_basic_auth_with_a_generated_password()
    {
        await using var app = await AppModel.BuildAsync();
        var dendrite = app.Resource<DendriteResource>("dendrite");
        var password = app.Resource<ParameterResource>("dendrite-metrics-password");

        Assert.True(password.Secret);
        Assert.Equal("UserSecretsParameterDefault", password.Default!.GetType().Name);
        Assert.Same(password, dendrite.MetricsPassword);
        Assert.True(dendrite.Settings.Metrics.Enabled);
        // The settings never carry the login; it is filled in only when the file is rendered.
        Assert.Null(dendrite.Settings.Metrics.Password);

        var file = Assert.Single(dendrite.Annotations.OfType<RenderedConfigFileAnnotation>(), f => f.FileName == DendritePaths.ConfigFileName);
        var yaml = await file.Render(FixedValues, TestContext.Current.CancellationToken);
        Assert.Contains("  metrics:\n    enabled: true\n    basic_auth:\n      username: metrics\n      password: fixed-secret\n", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_off_leaves_no_password_parameter_and_no_login_in_the_config()
    {
        await using var app = await AppModel.BuildAsync("--Dendrite:Metrics:Enabled=false");
        var dendrite = app.Resource<DendriteResource>("dendrite");

        Assert.DoesNotContain(app.Model.Resources, r => r.Name == "dendrite-metrics-password");
        Assert.Null(dendrite.MetricsPassword);
        var file = Assert.Single(dendrite.Annotations.OfType<RenderedConfigFileAnnotation>(), f => f.FileName == DendritePaths.ConfigFileName);
        var yaml = await file.Render(FixedValues, TestContext.Current.CancellationToken);
        Assert.Contains("  metrics:\n    enabled: false\n", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("basic_auth", yaml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Dendrite:Metrics:Password=hunter2", "Dendrite:Metrics:Password")]
    [InlineData("--Dendrite:Metrics:Username=prometheus", "Dendrite:Metrics:Username")]
    public async Task A_metrics_login_in_settings_is_refused_naming_the_parameter(string argument, string key)
    {
        var error = await Assert.ThrowsAsync<DendriteSettingsException>(() => AppModel.BuildAsync(argument));
        var finding = Assert.Single(error.Errors, e => e.Path == key);
        Assert.Contains("Parameters:dendrite-metrics-password", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registration_secret_is_a_generated_secret_parameter()
    {
        await using var app = await AppModel.BuildAsync();
        var secret = app.Resource<ParameterResource>("dendrite-registration-secret");

        Assert.True(secret.Secret);
        // Generated on first run and persisted in user secrets (a generate default wrapped for persistence).
        Assert.NotNull(secret.Default);
        Assert.Equal("UserSecretsParameterDefault", secret.Default.GetType().Name);
        Assert.Same(secret, app.Resource<DendriteResource>("dendrite").RegistrationSharedSecret);
    }

    [Fact]
    public async Task Invalid_settings_fail_while_building_with_the_key_path_and_the_fix()
    {
        var error = await Assert.ThrowsAsync<DendriteSettingsException>(
            () => AppModel.BuildAsync("--Dendrite:WellKnown:ServerName=https://family.example"));

        Assert.Contains(error.Errors, e => e.Path == "Dendrite:WellKnown:ServerName");
        Assert.Contains("Dendrite:WellKnown:ServerName", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_shared_secret_in_settings_is_refused()
    {
        var error = await Assert.ThrowsAsync<DendriteSettingsException>(
            () => AppModel.BuildAsync("--Dendrite:Registration:SharedSecret=oops"));
        Assert.Contains(error.Errors, e => e.Path == "Dendrite:Registration:SharedSecret");
    }

    private static ValueTask<string?> FixedValues(IValueProvider value, CancellationToken cancellationToken) =>
        ValueTask.FromResult<string?>(value is ParameterResource ? "fixed-secret" : "postgres://dendrite@db:5432/dendrite?sslmode=disable");

    private static string ExpectedRender(DendriteSettings settings, string secret, string metricsPassword)
    {
        var result = DendriteConfigRenderer.Render(SettingsWith(settings, s =>
        {
            s.Registration.SharedSecret = secret;
            s.Metrics.Username = "metrics";
            s.Metrics.Password = metricsPassword;
        }), "Dendrite:");
        Assert.True(result.Succeeded, string.Join('\n', result.Findings));
        return result.Yaml!;
    }

    private static DendriteSettings SettingsWith(DendriteSettings settings, Action<DendriteSettings> change)
    {
        var copy = SettingsCopy.Of(settings);
        change(copy);
        return copy;
    }

    private static async Task<List<string>> Arguments(IResource resource)
    {
        var raw = new List<object>();
        foreach (var annotation in resource.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await annotation.Callback(new CommandLineArgsCallbackContext(raw, resource, TestContext.Current.CancellationToken));
        }

        return [.. raw.Select(a => Assert.IsType<string>(a))];
    }
}
