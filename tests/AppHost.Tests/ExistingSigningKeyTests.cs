using Aspire.Hosting.ApplicationModel;
using DendriteAspire.Hosting;

namespace DendriteAspire.AppHost.Tests;

/// <summary>
/// A warm start skips the key step only on evidence: every file the step would create is on the keys volume and not
/// empty. Anything less (a missing or empty file, an unreadable directory) leaves the step in place.
/// </summary>
public sealed class ExistingSigningKeyTests : IDisposable
{
    private readonly DirectoryInfo volume = Directory.CreateTempSubdirectory("dendrite-keys-");

    [Fact]
    public void The_key_step_creates_the_signing_key_and_with_federation_the_tls_pair()
    {
        Assert.Equal(["matrix_key.pem"], ExistingSigningKey.Files(withTlsCertificate: false));
        Assert.Equal(["matrix_key.pem", "server.crt", "server.key"], ExistingSigningKey.Files(withTlsCertificate: true));
    }

    [Fact]
    public void A_non_empty_key_is_present()
    {
        Write("matrix_key.pem", "-----BEGIN MATRIX PRIVATE KEY-----");
        Assert.True(ExistingSigningKey.AllPresent(volume.FullName, ExistingSigningKey.Files(false)));
    }

    [Fact]
    public void A_missing_or_empty_key_is_not()
    {
        Assert.False(ExistingSigningKey.AllPresent(volume.FullName, ExistingSigningKey.Files(false)));
        Write("matrix_key.pem", "");
        Assert.False(ExistingSigningKey.AllPresent(volume.FullName, ExistingSigningKey.Files(false)));
        Write("matrix_key.pem.new", "half-written"); // what an interrupted key step leaves: not a key
        Assert.False(ExistingSigningKey.AllPresent(volume.FullName, ExistingSigningKey.Files(false)));
    }

    [Fact]
    public void With_federation_the_tls_pair_must_be_there_too()
    {
        Write("matrix_key.pem", "key");
        Write("server.crt", "crt");
        Assert.False(ExistingSigningKey.AllPresent(volume.FullName, ExistingSigningKey.Files(true)));
        Write("server.key", "tls key");
        Assert.True(ExistingSigningKey.AllPresent(volume.FullName, ExistingSigningKey.Files(true)));
    }

    [Fact]
    public void A_volume_this_process_cannot_see_is_not_evidence()
    {
        Assert.False(ExistingSigningKey.AllPresent(Path.Combine(volume.FullName, "not-here"), ExistingSigningKey.Files(false)));
    }

    [Fact]
    public async Task A_volume_the_runtime_does_not_know_has_no_mountpoint()
    {
        // No runtime at all, or one that answers "no such volume": either way the key step keeps running.
        Assert.Null(await ExistingSigningKey.MountpointAsync("/nonexistent/runtime", "dendriteaspire-storage-keys", TestContext.Current.CancellationToken));
        Assert.Null(await ExistingSigningKey.MountpointAsync("false", "dendriteaspire-storage-keys", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Skipping_the_step_removes_only_dendrites_wait_for_it_and_leaves_it_for_a_manual_start()
    {
        await using var app = await AppModel.BuildAsync("--Dendrite:Database:Provider=Postgres");
        var dendrite = app.Resource<DendriteResource>("dendrite");
        var keygen = app.Resource<DendriteKeyGenerationResource>("dendrite-keygen");
        var otherWaits = dendrite.Annotations.OfType<WaitAnnotation>().Where(w => w.Resource != keygen).Select(w => w.Resource.Name).ToList();
        Assert.NotEmpty(otherWaits); // Postgres
        Assert.Empty(keygen.Annotations.OfType<ExplicitStartupAnnotation>());

        ExistingSigningKey.SkipKeyStep(dendrite, keygen);
        ExistingSigningKey.SkipKeyStep(dendrite, keygen);

        Assert.DoesNotContain(dendrite.Annotations.OfType<WaitAnnotation>(), w => w.Resource == keygen);
        Assert.Equal(otherWaits, dendrite.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name));
        Assert.Single(keygen.Annotations.OfType<ExplicitStartupAnnotation>());
    }

    public void Dispose() => volume.Delete(recursive: true);

    private void Write(string name, string contents) => File.WriteAllText(Path.Combine(volume.FullName, name), contents);
}
