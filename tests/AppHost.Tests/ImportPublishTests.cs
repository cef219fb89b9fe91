using DendriteAspire.ConfigRenderer.Layout;
using k8s.Models;

namespace DendriteAspire.AppHost.Tests;

/// <summary>
/// Dendrite:Import:Enabled on a cluster: the Slack import's registration goes into the config Secret beside
/// dendrite.yaml, with the token of the parameter dendrite-import-token, and nowhere else; without the setting there is
/// no registration at all.
/// </summary>
public class ImportPublishTests
{
    private const string Token = "publish-test-import-token-0123456789abcdef0123";

    [Fact]
    public async Task Enabled_puts_the_registration_in_the_config_secret_only()
    {
        var output = await PublishedManifests.PublishAsync("--Dendrite:Import:Enabled=true", $"--Parameters:dendrite-import-token={Token}");

        var secret = output.Named<V1Secret>("dendrite-config");
        Assert.Equal([DendritePaths.ConfigFileName, DendritePaths.ImportRegistrationFileName], secret.StringData.Keys.Order(StringComparer.Ordinal));
        var registration = secret.StringData[DendritePaths.ImportRegistrationFileName];
        Assert.Contains($"as_token: {Token}\n", registration, StringComparison.Ordinal);
        Assert.Contains("sender_localpart: slack-import\n", registration, StringComparison.Ordinal);
        Assert.Contains(@"regex: ^@.*:family\.example$", registration, StringComparison.Ordinal);
        Assert.Contains($"    - {DendritePaths.ImportRegistrationFile}\n", secret.StringData[DendritePaths.ConfigFileName], StringComparison.Ordinal);

        var volume = Assert.Single(output.Named<V1StatefulSet>("dendrite").Spec.Template.Spec.Volumes, v => v.Name == "config");
        Assert.Contains(volume.Secret.Items, i => i.Path == DendritePaths.ImportRegistrationFileName);
        foreach (var (file, text) in output.Files.Where(f => !f.Key.EndsWith("-secret.yaml", StringComparison.Ordinal)))
        {
            Assert.False(text.Contains(Token, StringComparison.Ordinal), $"{file} holds the import token");
        }
    }

    [Fact]
    public async Task Off_by_default_there_is_no_registration()
    {
        var output = await PublishedManifests.PublishAsync();
        var secret = output.Named<V1Secret>("dendrite-config");
        Assert.Equal([DendritePaths.ConfigFileName], secret.StringData.Keys);
        Assert.DoesNotContain("app_service_api", secret.StringData[DendritePaths.ConfigFileName], StringComparison.Ordinal);
    }
}
