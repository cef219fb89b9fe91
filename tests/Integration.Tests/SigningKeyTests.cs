using Aspire.Hosting.ApplicationModel;
using DendriteAspire.ConfigRenderer.Layout;
using DendriteAspire.Hosting;

namespace DendriteAspire.Integration.Tests;

/// <summary>
/// Dendrite runs on this machine's runtime (podman 4.3.1 on Debian 12 here, where a read-only named volume used to
/// stop it from starting), and its signing key stays protected: the file is 0400, and the keys volume is mounted
/// read-only wherever the runtime accepts it (the model's choice, pinned by the AppHost tests). Dendrite runs as its
/// non-root cluster user, which owns the key.
/// </summary>
[Trait("Category", "Live")]
[Collection(SqliteStackDefinition.Name)]
public class SigningKeyTests(SqliteAppFixture stack)
{
    [Fact]
    public async Task RunningDendrite_ReadsAKeyWithMode0400_OnAKeysMountReadOnlyWhereTheRuntimeAllowsIt()
    {
        var app = await stack.GetAppAsync();
        var ct = TestContext.Current.CancellationToken;
        var runtime = await LiveEnvironment.RequireAsync(withPostgres: false);
        var keysVolume = $"{stack.VolumePrefix}-storage-keys";

        var container = Assert.Single(await runtime.RunningContainersWithVolumeAsync(keysVolume, ct));

        // Dendrite runs as its cluster user (uid:gid 1000:1000, as in its published pod), which owns the key it reads.
        Assert.Equal((DendriteResource.ClusterUserId, DendriteResource.ClusterUserId), await LocalUser.ProcessIdentityAsync(runtime, container, ct));
        var mode = await runtime.RunAsync(TimeSpan.FromSeconds(30), ct, "exec", container, "stat", "-c", "%a %u:%g", DendritePaths.SigningKey);
        Assert.True(mode.Succeeded, mode.FirstErrorLine);
        Assert.Equal($"400 {DendriteResource.ClusterUserId}:{DendriteResource.ClusterUserId}", mode.StandardOutput.Trim());

        var version = runtime.Name == "podman"
            ? SigningKeyMount.ParseVersion((await runtime.RunAsync(TimeSpan.FromSeconds(30), ct, "version", "--format", "{{.Client.Version}}")).StandardOutput)
            : null;
        var expectReadOnly = SigningKeyMount.ReadOnlySupported(runtime.Name, version);
        var mounts = await runtime.RunAsync(TimeSpan.FromSeconds(30), ct, "inspect", container, "--format",
            "{{range .Mounts}}{{.Name}} {{.RW}}{{println}}{{end}}");
        Assert.Contains($"{keysVolume} {(!expectReadOnly).ToString().ToLowerInvariant()}", mounts.StandardOutput, StringComparison.Ordinal);

        var model = app.Model.Resources.OfType<DendriteResource>().Single();
        Assert.Equal(expectReadOnly, model.Annotations.OfType<ContainerMountAnnotation>().Single(m => m.Source == keysVolume).IsReadOnly);

        if (expectReadOnly)
        {
            var write = await runtime.RunAsync(TimeSpan.FromSeconds(30), ct, "exec", container, "touch", DendritePaths.StorageKeys + "/probe");
            Assert.False(write.Succeeded, "Dendrite could write to the read-only keys volume");
        }
    }
}
