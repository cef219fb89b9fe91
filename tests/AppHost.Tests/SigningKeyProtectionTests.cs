using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using DendriteAspire.ConfigRenderer.Layout;
using DendriteAspire.Hosting;

namespace DendriteAspire.AppHost.Tests;

/// <summary>
/// Pins how the signing key is protected: the key step leaves it 0400, and Dendrite's <c>storage-keys</c> mount is
/// read-only in the model (and the Kubernetes output), and locally on every runtime that accepts DCP's
/// <c>--mount ...,readonly</c>. podman 4 (Debian 12's 4.3.1) rejects it, so there the mount is writable.
/// </summary>
public class SigningKeyProtectionTests
{
    [Theory]
    [InlineData("docker", null, true)]
    [InlineData("docker", "20.10.24", true)]
    [InlineData("podman", "4.3.1", false)] // "readonly: invalid mount option": Dendrite would never start
    [InlineData("podman", "4.9.4", false)]
    [InlineData("podman", "5.0.0", true)]
    [InlineData("podman", "5.4.2", true)]
    [InlineData("podman", null, false)] // unknown version: start rather than fail
    public void Read_only_keys_mount_only_where_the_runtime_accepts_it(string runtime, string? version, bool readOnly) =>
        Assert.Equal(readOnly, SigningKeyMount.ReadOnlySupported(runtime, version is null ? null : Version.Parse(version)));

    [Theory]
    [InlineData("4.3.1\n", "4.3.1")]
    [InlineData("5.2.0-dev", "5.2.0")]
    [InlineData("5.1", "5.1")]
    [InlineData("", null)]
    [InlineData("Error: no such command", null)]
    public void Podman_client_versions_are_parsed(string output, string? expected) =>
        Assert.Equal(expected is null ? null : Version.Parse(expected), SigningKeyMount.ParseVersion(output));

    [Fact]
    public async Task On_a_runtime_without_read_only_volumes_only_the_keys_mount_becomes_writable_in_place()
    {
        await using var app = await AppModel.BuildAsync("--Dendrite:VolumePrefix=famtest");
        var dendrite = app.Resource<DendriteResource>("dendrite");
        var before = dendrite.Annotations.OfType<ContainerMountAnnotation>().ToList();
        Assert.True(Assert.Single(before, m => m.Source == "famtest-storage-keys").IsReadOnly);

        SigningKeyMount.Apply(dendrite, "famtest-storage-keys", readOnly: false);

        var after = dendrite.Annotations.OfType<ContainerMountAnnotation>().ToList();
        Assert.Equal(before.Select(m => (m.Source, m.Target)), after.Select(m => (m.Source, m.Target)));
        Assert.All(after, m => Assert.False(m.IsReadOnly));

        SigningKeyMount.Apply(dendrite, "famtest-storage-keys", readOnly: true);
        Assert.Equal([DendritePaths.StorageKeys], dendrite.Annotations.OfType<ContainerMountAnnotation>().Where(m => m.IsReadOnly).Select(m => m.Target));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_key_step_leaves_every_key_it_guards_owner_read_only(bool federation)
    {
        await using var app = await AppModel.BuildAsync($"--Dendrite:Federation:Enabled={federation}");
        var keygen = app.Resource<DendriteKeyGenerationResource>("dendrite-keygen");
        var raw = new List<object>();
        foreach (var annotation in keygen.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await annotation.Callback(new CommandLineArgsCallbackContext(raw, keygen, TestContext.Current.CancellationToken));
        }

        var lines = Assert.IsType<string>(raw[1]).Split('\n');
        // Right after the create-or-keep block, so a key made by an older version gets the mode too.
        Assert.Equal("chmod 0400 \"$key\"", lines[Array.IndexOf(lines, "fi") + 1]);
        Assert.Equal(federation, lines.Contains("chmod 0400 \"$tlskey\""));
    }
}
