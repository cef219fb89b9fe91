using DendriteAspire.ConfigRenderer.Lint;
using DendriteAspire.ConfigRenderer.Model;
using DendriteAspire.ConfigRenderer.Rendering;
using DendriteAspire.ConfigRenderer.Yaml;

namespace DendriteAspire.ConfigRenderer.Tests;

/// <summary>The upstream v0.13.8 sample config is the reference for what Dendrite's YAML looks like.</summary>
public class SampleConfigTests
{
    [Fact]
    public void Lint_FindsNoUnknownKeysAndNoErrorsInTheSample()
    {
        var findings = DendriteConfigLinter.Lint(TestFiles.ReadSample());

        Assert.DoesNotContain(findings, f => f.Message.StartsWith("unknown key", StringComparison.Ordinal));
        Assert.DoesNotContain(findings, f => f.Severity == FindingSeverity.Error);
    }

    [Fact]
    public void Sample_RoundTripsThroughTheModelWithNothingLost()
    {
        var sample = TestFiles.ReadSample();

        var first = DendriteYaml.Deserialize(sample);
        var written = DendriteYaml.Serialize(first);
        var second = DendriteYaml.Deserialize(written);

        Assert.Equal(written, DendriteYaml.Serialize(second));
        var expected = YamlKeyPaths.Leaves(sample);
        var actual = YamlKeyPaths.Leaves(written);
        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), actual.OrderBy(e => e.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Sample_ValuesLandInTheTypedModel()
    {
        var config = DendriteYaml.Deserialize(TestFiles.ReadSample());

        Assert.Equal(2, config.Version);
        Assert.Equal("168h0m0s", config.Global!.KeyValidityPeriod!.Text);
        Assert.True(config.Global.KeyValidityPeriod.TryGetTimeSpan(out var validity));
        Assert.Equal(TimeSpan.FromDays(7), validity);
        Assert.True(config.Global.Cache!.MaxSizeEstimated!.TryGetBytes(out var cache));
        Assert.Equal(1L << 30, cache);
        Assert.Equal(90, config.Global.Database!.MaxOpenConns);
        Assert.Equal(20, config.ClientApi!.RateLimiting!.Threshold);
        Assert.Equal("matrix.org", Assert.Single(config.FederationApi!.KeyPerspectives!).ServerName);
        Assert.Equal(3, config.MediaApi!.ThumbnailSizes!.Count);
        Assert.Equal("./logs", config.Logging![1].Params!["path"]);
    }

    [Fact]
    public void EveryKeyTheRendererCanWrite_IsInTheSampleOrDocumented()
    {
        var sampleKeys = YamlKeyPaths.Keys(TestFiles.ReadSample());
        var documented = DocumentedKeys.InV0138SchemaNotInSample.Keys.Concat(DocumentedKeys.NewerThanV0138.Keys).ToHashSet();
        var renders = new[] { Configs.SqliteSettings(), Configs.PostgresSettings(), Configs.EverythingSettings() }
            .Select(settings => DendriteConfigRenderer.Render(settings).Yaml!);

        var written = renders.SelectMany(YamlKeyPaths.Keys).ToHashSet();
        var undocumented = written.Where(k => !sampleKeys.Contains(k) && !documented.Contains(k)).Order().ToList();

        Assert.True(undocumented.Count == 0,
            $"The renderer writes keys that are neither in the v0.13.8 sample nor in DocumentedKeys: {string.Join(", ", undocumented)}");
        Assert.DoesNotContain(written, DocumentedKeys.NewerThanV0138.Keys.Contains);
    }

    [Fact]
    public void DocumentedKeys_AreKeysTheModelKnows()
    {
        var modelKeys = ConfigSchema.AllPaths().ToHashSet();

        foreach (var key in DocumentedKeys.InV0138SchemaNotInSample.Keys.Concat(DocumentedKeys.NewerThanV0138.Keys))
        {
            Assert.True(modelKeys.Contains(key), $"{key} is documented but not in the model");
        }
    }
}
