namespace DendriteAspire.AppHost.Tests;

/// <summary>Knowledge the model holds is not restated elsewhere in the repository.</summary>
public class OneHomeTests
{
    [Fact]
    public void The_local_migration_script_takes_its_image_tags_from_the_model()
    {
        var script = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "Migration", "migrate-local.sh"));

        foreach (var restated in new[] { "v0.15.2", "postgres:18", "dendrite-monolith", "library/postgres" })
        {
            Assert.DoesNotContain(restated, script, StringComparison.Ordinal);
        }

        Assert.Contains("--step publish-manifest", script, StringComparison.Ordinal);
        Assert.Contains("model_image dendrite", script, StringComparison.Ordinal);
        Assert.Contains("model_image postgres", script, StringComparison.Ordinal);
    }
}
