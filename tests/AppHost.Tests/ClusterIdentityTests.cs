using DendriteAspire.Hosting;
using DendriteAspire.Hosting.Kubernetes;
using k8s.Models;

namespace DendriteAspire.AppHost.Tests;

/// <summary>Settings a cluster can never change later are never guessed: a publish refuses localhost, and writes nothing.</summary>
public class ClusterIdentityTests
{
    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1:8448")]
    public async Task Publishing_a_localhost_server_name_is_refused_naming_the_key_and_the_fix_and_writes_nothing(string serverName)
    {
        var output = Publishing.NewOutputDirectory();

        var error = await RefusedAsync(() => Publishing.KubernetesAsync(output, $"--Dendrite:ServerName={serverName}"));

        var finding = Assert.Single(error.Errors);
        Assert.Equal("Dendrite:ServerName", finding.Path);
        Assert.StartsWith($"error: Dendrite:ServerName: \"{serverName}\" cannot be published to a cluster", finding.ToString(), StringComparison.Ordinal);
        Assert.Contains("--Dendrite:ServerName=family.example", finding.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(output));
    }

    [Fact]
    public async Task Publishing_a_localhost_client_url_is_refused_naming_the_ingress_fix()
    {
        var output = Publishing.NewOutputDirectory();

        var error = await RefusedAsync(() => Publishing.KubernetesAsync(output, "--Dendrite:WellKnown:ClientUrl=http://localhost:8008"));

        var finding = Assert.Single(error.Errors);
        Assert.Equal("Dendrite:WellKnown:ClientUrl", finding.Path);
        Assert.Contains("Dendrite:Kubernetes:Ingress:Host=", finding.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(output));
    }

    [Fact]
    public async Task With_an_ingress_host_and_no_client_url_the_published_client_url_is_https_on_that_host()
    {
        var output = await PublishedManifests.PublishAsync("--Dendrite:Kubernetes:Ingress:Host=matrix.family.example");
        var config = output.Named<V1Secret>("dendrite-config").StringData["dendrite.yaml"];
        Assert.Contains("well_known_client_name: https://matrix.family.example", config, StringComparison.Ordinal);
        Assert.DoesNotContain("localhost", config, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_explicit_client_url_wins_over_the_ingress_host()
    {
        var output = await PublishedManifests.PublishAsync(
            "--Dendrite:Kubernetes:Ingress:Host=matrix.family.example",
            "--Dendrite:WellKnown:ClientUrl=https://chat.family.example");
        var config = output.Named<V1Secret>("dendrite-config").StringData["dendrite.yaml"];
        Assert.Contains("well_known_client_name: https://chat.family.example", config, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_local_run_keeps_its_localhost_client_url()
    {
        await using var app = await AppModel.BuildAsync();
        Assert.Equal("http://localhost:8008", app.Resource<DendriteResource>("dendrite").Settings.WellKnown.ClientUrl);
    }

    [Theory]
    [InlineData("localhost", true)]
    [InlineData("LOCALHOST:8448", true)]
    [InlineData("matrix.localhost", true)]
    [InlineData("localhost.localdomain", true)]
    [InlineData("ip6-localhost", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.1.2.3:8008", true)]
    [InlineData("::1", true)]
    [InlineData("[::1]:8448", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("family.example", false)]
    [InlineData("localhost.family.example", false)]
    [InlineData("mylocalhost", false)]
    [InlineData("192.168.1.10:8448", false)]
    [InlineData("[2001:db8::1]:8448", false)]
    public void Loopback_names_are_recognised_from_the_text_alone(string host, bool loopback) =>
        Assert.Equal(loopback, LoopbackNames.IsLoopback(host));

    [Theory]
    [InlineData("http://localhost:8008", true)]
    [InlineData("https://127.0.0.1", true)]
    [InlineData("http://[::1]:8008/", true)]
    [InlineData("https://matrix.family.example", false)]
    public void Loopback_urls_are_recognised(string url, bool loopback) =>
        Assert.Equal(loopback, LoopbackNames.IsLoopbackUrl(url));

    /// <summary>The settings error a refused publish ends with (Aspire's <c>Run</c> wraps it in an AggregateException).</summary>
    private static async Task<DendriteSettingsException> RefusedAsync(Func<Task> publish)
    {
        var error = await Record.ExceptionAsync(publish);
        while (error is AggregateException { InnerExceptions.Count: 1 } aggregate)
        {
            error = aggregate.InnerExceptions[0];
        }

        return Assert.IsType<DendriteSettingsException>(error);
    }
}
