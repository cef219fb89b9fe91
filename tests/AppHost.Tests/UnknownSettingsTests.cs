using DendriteAspire.Hosting;

namespace DendriteAspire.AppHost.Tests;

/// <summary>
/// A typo anywhere under <c>Dendrite</c> is refused by the one binder, with the same message in every section and
/// before anything starts or is written: a new user's one missing letter must not publish a cluster without its
/// Ingress, or run Element Web that was meant to be off.
/// </summary>
public class UnknownSettingsTests
{
    [Theory]
    [InlineData("--Dendrite:Kubernetes:Ingres:Host=matrix.family.example", "Dendrite:Kubernetes:Ingres", "unknown setting \"Ingres\"; did you mean \"Ingress\"?")]
    [InlineData("--Dendrite:Kubernetes:Ingress:Hots=matrix.family.example", "Dendrite:Kubernetes:Ingress:Hots", "unknown setting \"Hots\"; did you mean \"Host\"?")]
    [InlineData("--Dendrite:Kubernetes:Resources:dendrite:LimitsMemroy=1Gi", "Dendrite:Kubernetes:Resources:dendrite:LimitsMemroy", "unknown setting \"LimitsMemroy\"; did you mean \"LimitsMemory\"?")]
    [InlineData("--Dendrite:Client:Enabeld=false", "Dendrite:Client:Enabeld", "unknown setting \"Enabeld\"; did you mean \"Enabled\"?")]
    [InlineData("--Dendrite:Onboarding:HostPrt=8011", "Dendrite:Onboarding:HostPrt", "unknown setting \"HostPrt\"; did you mean \"HostPort\"?")]
    [InlineData("--Dendrite:Family:RoomNme=Smiths", "Dendrite:Family:RoomNme", "unknown setting \"RoomNme\"; did you mean \"RoomName\"?")]
    [InlineData("--Dendrite:Federaton:Enabled=true", "Dendrite:Federaton", "unknown setting \"Federaton\"; did you mean \"Federation\"?")]
    public async Task An_unknown_key_in_any_section_stops_the_build_naming_it_and_the_closest_known_one(string argument, string path, string message)
    {
        var error = await Assert.ThrowsAsync<DendriteSettingsException>(() => AppModel.BuildAsync(argument));

        var finding = Assert.Single(error.Errors);
        Assert.Equal(path, finding.Path);
        Assert.Equal(message, finding.Message);
    }

    [Fact]
    public async Task Known_keys_of_every_section_are_accepted()
    {
        await using var app = await AppModel.BuildAsync(
            "--Dendrite:Kubernetes:Ingress:Host=matrix.family.example",
            "--Dendrite:Kubernetes:Ingress:Annotations:cert-manager.io/cluster-issuer=letsencrypt",
            "--Dendrite:Kubernetes:Resources:dendrite:LimitsMemory=1Gi",
            "--Dendrite:Kubernetes:VolumeSizes:media=5Gi",
            "--Dendrite:Client:Enabled=true",
            "--Dendrite:Onboarding:HostPort=8011",
            "--Dendrite:Family:RoomName=Smiths");

        Assert.Single(app.Model.Resources.OfType<DendriteResource>());
    }

    [Fact]
    public async Task Publishing_with_a_misspelt_ingress_exits_2_and_writes_nothing()
    {
        var output = Publishing.NewOutputDirectory();
        var result = await AppHostProcess.RunAsync(
            new Dictionary<string, string> { ["Dendrite__Kubernetes__Ingres__Host"] = "matrix.family.example" },
            "--operation", "publish", "--step", "publish", "--output-path", output,
            "--Pipeline:ClearCache", "true",
            $"--Dendrite:ServerName={Publishing.ServerName}",
            $"--Parameters:dendrite-registration-secret={Publishing.RegistrationSecret}",
            $"--Parameters:dendrite-metrics-password={Publishing.MetricsPassword}");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Equal("error: Dendrite:Kubernetes:Ingres: unknown setting \"Ingres\"; did you mean \"Ingress\"?", line);
        Assert.Empty(Directory.EnumerateFileSystemEntries(output));
        AppHostProcess.AssertNoStackTrace(result);
    }

    [Fact]
    public async Task Running_with_a_misspelt_client_switch_exits_2_before_anything_starts()
    {
        var result = await AppHostProcess.RunAsync(
            new Dictionary<string, string> { ["Dendrite__Client__Enabeld"] = "false" },
            $"--Dendrite:ServerName={Publishing.ServerName}");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Equal("error: Dendrite:Client:Enabeld: unknown setting \"Enabeld\"; did you mean \"Enabled\"?", line);
        AppHostProcess.AssertNoStackTrace(result);
    }
}
