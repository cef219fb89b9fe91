using System.Security.Cryptography;
using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using DendriteAspire.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace DendriteAspire.AppHost.Tests;

/// <summary><c>Dendrite:Lifetime</c>: Session by default; Persistent keeps Dendrite and its key step across AppHost restarts.</summary>
public class LifetimeModelTests
{
    [Fact]
    public async Task By_default_dendrite_and_its_key_step_stop_with_the_AppHost()
    {
        await using var app = await AppModel.BuildAsync();
        foreach (var name in new[] { "dendrite", "dendrite-keygen" })
        {
            var resource = app.Resource<ContainerResource>(name);
            Assert.DoesNotContain(resource.Annotations.OfType<ContainerLifetimeAnnotation>(), a => a.Lifetime == ContainerLifetime.Persistent);
            Assert.Empty(resource.Annotations.OfType<ContainerNameAnnotation>());
        }

        Assert.DoesNotContain(DendriteBuilderExtensions.ConfigChecksumVariable, await Environment(app, "dendrite"));
    }

    [Theory]
    [InlineData("Persistent")]
    [InlineData("persistent")]
    public async Task Persistent_keeps_both_containers_under_names_from_the_volume_prefix(string value)
    {
        await using var app = await AppModel.BuildAsync($"--Dendrite:Lifetime={value}", "--Dendrite:VolumePrefix=famtest");
        foreach (var name in new[] { "dendrite", "dendrite-keygen" })
        {
            var resource = app.Resource<ContainerResource>(name);
            Assert.Equal(ContainerLifetime.Persistent, resource.Annotations.OfType<ContainerLifetimeAnnotation>().Last().Lifetime);
            Assert.Equal($"famtest-{name}", resource.Annotations.OfType<ContainerNameAnnotation>().Last().Name);
        }
    }

    [Fact]
    public async Task A_persistent_dendrite_carries_the_checksum_of_its_config_so_a_config_change_recreates_it()
    {
        string checksum, changed;
        await using (var app = await AppModel.BuildAsync("--Dendrite:Lifetime=Persistent"))
        {
            checksum = Assert.IsType<string>((await Environment(app, "dendrite"))[DendriteBuilderExtensions.ConfigChecksumVariable]);
            Assert.Equal(Sha256(await ConfigFile(app)), checksum);
        }

        await using (var app = await AppModel.BuildAsync("--Dendrite:Lifetime=Persistent"))
        {
            Assert.Equal(checksum, (await Environment(app, "dendrite"))[DendriteBuilderExtensions.ConfigChecksumVariable]);
        }

        await using (var app = await AppModel.BuildAsync("--Dendrite:Lifetime=Persistent", "--Dendrite:Media:MaxFileSizeBytes=1048576"))
        {
            changed = Assert.IsType<string>((await Environment(app, "dendrite"))[DendriteBuilderExtensions.ConfigChecksumVariable]);
        }

        Assert.NotEqual(checksum, changed);
    }

    [Theory]
    [InlineData("Forever")]
    [InlineData("1")]
    public async Task An_unknown_lifetime_is_a_settings_error_naming_the_key_and_the_choices(string value)
    {
        var error = await Assert.ThrowsAsync<DendriteSettingsException>(() => AppModel.BuildAsync($"--Dendrite:Lifetime={value}"));
        var finding = Assert.Single(error.Errors, e => e.Path == "Dendrite:Lifetime");
        Assert.Contains("Session", finding.Message, StringComparison.Ordinal);
        Assert.Contains("Persistent", finding.Message, StringComparison.Ordinal);
        Assert.Contains(value, finding.Message, StringComparison.Ordinal);
    }

    private static async Task<Dictionary<string, object>> Environment(AppModel app, string name)
    {
        var resource = app.Resource<IResource>(name);
        var context = new EnvironmentCallbackContext(app.App.Services.GetRequiredService<DistributedApplicationExecutionContext>(), resource,
            cancellationToken: TestContext.Current.CancellationToken);
        foreach (var annotation in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await annotation.Callback(context);
        }

        return context.EnvironmentVariables;
    }

    private static async Task<string> ConfigFile(AppModel app)
    {
        var dendrite = app.Resource<DendriteResource>("dendrite");
        var files = Assert.Single(dendrite.Annotations.OfType<ContainerFileSystemCallbackAnnotation>());
        var items = await files.Callback(new ContainerFileSystemCallbackContext { Model = dendrite, Services = app.App.Services }, TestContext.Current.CancellationToken);
        return Assert.IsType<ContainerFile>(Assert.Single(items)).Contents!;
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
