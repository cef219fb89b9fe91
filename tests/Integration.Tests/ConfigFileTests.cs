using DendriteAspire.ConfigRenderer.Layout;

namespace DendriteAspire.Integration.Tests;

/// <summary>
/// The config (which carries the registration secret) reaches the running container read-only, and lives in the
/// container's own layer: no volume holds it, so no copy outlives the container. The image declares
/// <c>VOLUME /etc/dendrite</c>; a config there used to be left behind in an anonymous volume by every start, and now an
/// in-memory file system stands there instead of any volume.
/// </summary>
[Trait("Category", "Live")]
[Collection(SqliteStackDefinition.Name)]
public class ConfigFileTests(SqliteAppFixture stack)
{
    [Fact]
    public async Task RunningDendrite_ReadsItsConfigFromTheContainerLayer_NotFromAnyVolume()
    {
        await stack.GetAppAsync();
        var ct = TestContext.Current.CancellationToken;
        var runtime = await LiveEnvironment.RequireAsync(withPostgres: false);

        var container = Assert.Single(await runtime.RunningContainersWithVolumeAsync($"{stack.VolumePrefix}-jetstream", ct));

        var mode = await runtime.RunAsync(TimeSpan.FromSeconds(30), ct, "exec", container, "stat", "-c", "%a", DendritePaths.ConfigFile);
        Assert.True(mode.Succeeded, mode.FirstErrorLine);
        Assert.Equal("440", mode.StandardOutput.Trim());
        var secret = await runtime.RunAsync(TimeSpan.FromSeconds(30), ct, "exec", container, "grep", "-c", "registration_shared_secret", DendritePaths.ConfigFile);
        Assert.Equal("1", secret.StandardOutput.Trim());

        var mounts = await runtime.RunAsync(TimeSpan.FromSeconds(30), ct, "inspect", container, "--format",
            "{{range .Mounts}}{{.Destination}}{{println}}{{end}}");
        Assert.True(mounts.Succeeded, mounts.FirstErrorLine);
        var destinations = mounts.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // The image's VOLUME /etc/dendrite gets an in-memory file system instead of an anonymous volume: no volume there.
        Assert.DoesNotContain("/etc/dendrite", destinations);
        var fileSystem = await runtime.RunAsync(TimeSpan.FromSeconds(30), ct, "exec", container, "stat", "-f", "-c", "%T", "/etc/dendrite");
        Assert.True(fileSystem.Succeeded, fileSystem.FirstErrorLine);
        Assert.Equal("tmpfs", fileSystem.StandardOutput.Trim());
        Assert.DoesNotContain(destinations, d => DendritePaths.ConfigFile.StartsWith(d.TrimEnd('/') + "/", StringComparison.Ordinal));
        var imageVolume = await runtime.RunAsync(TimeSpan.FromSeconds(30), ct, "exec", container, "ls", "-A", "/etc/dendrite");
        Assert.True(imageVolume.Succeeded, imageVolume.FirstErrorLine);
        Assert.Equal("", imageVolume.StandardOutput.Trim());
    }
}
