namespace DendriteAspire.Integration.Tests;

/// <summary>
/// The upgrade guard of the published StatefulSet, run under the kubelet-style runner: its first init container records
/// the configured release on the keys claim, and refuses to let Dendrite start on data a newer release last ran on,
/// exit 2 with the reason in its log, the way <c>kubectl logs dendrite-0 -c dendrite-release-guard</c> shows it.
/// </summary>
[Trait("Category", "Live")]
public class PublishedReleaseGuardTests
{
    [Fact]
    public async Task Published_release_guard_records_the_release_and_refuses_an_older_release_on_newer_data_with_the_reason_in_its_log()
    {
        var runtime = await LiveEnvironment.RequireAsync(withPostgres: false);
        var ct = TestContext.Current.CancellationToken;
        var published = await PublishedCluster.PublishAsync(ct);
        var dendrite = published.Workload("dendrite");
        var main = dendrite.Spec.Template.Spec.Containers.Single();
        Assert.Equal("dendrite-release-guard", dendrite.Spec.Template.Spec.InitContainers[0].Name);

        await using var pod = new KubeletEmulation(runtime, VolumePrefix.New("guard"));
        await pod.StartAsync(dendrite, published, ct);
        await pod.WaitReadyAsync(main, TimeSpan.FromMinutes(3), ct);
        var keys = pod.ClaimVolume("dendrite", "storage-keys");
        Assert.Equal("v0.15.2\n", await ShellAsync(runtime, keys, main.Image, "cat /k/dendriteaspire-release", ct));
        await pod.StopAsync(dendrite);

        // A newer release ran on this data since (as if the family had upgraded, then published the old tag again).
        await ShellAsync(runtime, keys, main.Image, "printf 'v0.99.0\\n' > /k/dendriteaspire-release", ct);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => pod.StartAsync(dendrite, published, ct));
        Assert.Contains("init container dendrite-release-guard of dendrite exited 2", refused.Message, StringComparison.Ordinal);
        Assert.Contains("refused: Dendrite v0.15.2 is older than v0.99.0, the release that last ran on this data", refused.Message, StringComparison.Ordinal);
        Assert.Equal("v0.99.0\n", await ShellAsync(runtime, keys, main.Image, "cat /k/dendriteaspire-release", ct));
    }

    private static async Task<string> ShellAsync(ContainerRuntime runtime, string volume, string image, string script, CancellationToken ct)
    {
        var result = await runtime.RunAsync(TimeSpan.FromMinutes(1), ct, "run", "--rm", "--user", "1000:1000", "--entrypoint", "/bin/sh", "-v", $"{volume}:/k", image, "-c", script);
        Assert.True(result.Succeeded, $"{script} on {volume} failed: {result.FirstErrorLine}");
        return result.StandardOutput;
    }
}
