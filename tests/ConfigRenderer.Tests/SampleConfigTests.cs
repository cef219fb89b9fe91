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
    public void EveryKeyTheRendererCanWrite_IsReadByDendriteV0138()
    {
        var v0138 = KeyLists.Read("v0.13.8");
        var freeForm = v0138.Where(e => e.Value.StartsWith("map[", StringComparison.Ordinal)).Select(e => e.Key + ".").ToList();
        var renders = new[] { Configs.SqliteSettings(), Configs.PostgresSettings(), Configs.EverythingSettings() }
            .Select(settings => DendriteConfigRenderer.Render(settings).Yaml!);

        var written = renders.SelectMany(YamlKeyPaths.Keys).ToHashSet();
        var unread = written
            .Where(k => !v0138.ContainsKey(k) && !freeForm.Any(map => k.StartsWith(map, StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal).ToList();

        Assert.True(unread.Count == 0, $"The renderer writes keys Dendrite v0.13.8 does not read: {string.Join(", ", unread)}");
        Assert.DoesNotContain(written, DocumentedKeys.NewerThanV0138.Keys.Contains);
    }
}
