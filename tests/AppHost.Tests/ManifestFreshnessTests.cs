namespace DendriteAspire.AppHost.Tests;

public class ManifestFreshnessTests
{
    [Fact]
    public async Task Committed_aspire_manifest_matches_the_model()
    {
        var output = Publishing.NewOutputDirectory();
        var path = Path.Combine(output, "aspire-manifest.json");
        var (succeeded, _) = await Publishing.RunAsync("publish-manifest", path);
        Assert.True(succeeded, "manifest publish failed");

        var committed = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "aspire-manifest.json"), TestContext.Current.CancellationToken);
        // Project paths are relative to the manifest; the committed one sits at the repository root.
        var fresh = (await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken))
            .Replace($"\"path\": \"{Path.GetRelativePath(output, RepositoryRoot.Path).Replace('\\', '/')}/", "\"path\": \"", StringComparison.Ordinal);
        Assert.True(
            committed.ReplaceLineEndings() == fresh.ReplaceLineEndings(),
            "aspire-manifest.json is stale. Regenerate it: dotnet run --project AppHost -- --publisher manifest --output-path ../aspire-manifest.json");
    }

    [Fact]
    public async Task Committed_aspire_manifest_holds_no_secret_values()
    {
        var committed = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "aspire-manifest.json"), TestContext.Current.CancellationToken);

        Assert.DoesNotContain("registration_shared_secret", committed, StringComparison.Ordinal);
        Assert.Contains("\"secret\": true", committed, StringComparison.Ordinal);
        using var document = System.Text.Json.JsonDocument.Parse(committed);
        var secret = document.RootElement.GetProperty("resources").GetProperty("dendrite-registration-secret");
        Assert.Equal("{dendrite-registration-secret.inputs.value}", secret.GetProperty("value").GetString());
        Assert.False(secret.GetProperty("inputs").GetProperty("value").TryGetProperty("value", out _));
    }
}
