using DendriteAspire.ConfigRenderer.Lint;
using DendriteAspire.ConfigRenderer.Rendering;

namespace DendriteAspire.ConfigRenderer.Tests;

public class LinterTests
{
    private static string Valid() => DendriteConfigRenderer.Render(Configs.SqliteSettings()).Yaml!;

    [Fact]
    public void RenderedConfig_LintsClean()
    {
        Assert.Empty(DendriteConfigLinter.Lint(Valid()));
        Assert.Empty(DendriteConfigLinter.Lint(DendriteConfigRenderer.Render(Configs.EverythingSettings()).Yaml!));
    }

    [Fact]
    public void MisspelledKey_IsAWarningWithASuggestion()
    {
        var yaml = Valid().Replace("  registration_disabled: true", "  registration_disable: true", StringComparison.Ordinal);

        var finding = Assert.Single(DendriteConfigLinter.Lint(yaml));

        Assert.Equal(
            "warning: client_api.registration_disable: unknown key, Dendrite ignores it; did you mean \"registration_disabled\"?",
            finding.ToString());
    }

    [Fact]
    public void RemovedSection_IsAWarningThatSaysWhy()
    {
        var yaml = Valid() + "kafka:\n  addresses: []\n";

        var finding = Assert.Single(DendriteConfigLinter.Lint(yaml));

        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.Equal("kafka", finding.Path);
        Assert.Contains("JetStream", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownKeyInsideAList_NamesTheIndex()
    {
        var yaml = Valid().Replace("    level: info", "    level: info\n    colour: true", StringComparison.Ordinal);

        Assert.Equal("logging[0].colour", Assert.Single(DendriteConfigLinter.Lint(yaml)).Path);
    }

    [Fact]
    public void BrokenYaml_IsAnErrorWithLineAndColumn()
    {
        var finding = Assert.Single(DendriteConfigLinter.Lint("version: 2\nglobal:\n  server_name: [family.example\n"));

        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Matches(@"^line \d+, column \d+$", finding.Path);
        Assert.Contains("does not parse", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValueOfTheWrongType_IsAnErrorWithItsKeyAndLine()
    {
        var yaml = Valid().Replace("bcrypt_cost: 10", "bcrypt_cost: ten", StringComparison.Ordinal);
        var line = yaml.Split('\n').ToList().FindIndex(l => l.Contains("bcrypt_cost", StringComparison.Ordinal)) + 1;

        var finding = Assert.Single(DendriteConfigLinter.Lint(yaml));

        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Equal("user_api.bcrypt_cost", finding.Path);
        Assert.Equal($"\"ten\" is not a number, so Dendrite refuses to load the config; write a plain number without quotes (line {line})", finding.Message);
    }

    [Fact]
    public void ValidationErrors_UseConfigKeyPaths()
    {
        var yaml = Valid().Replace("server_name: family.example", "server_name: https://family.example", StringComparison.Ordinal);

        var finding = Assert.Single(DendriteConfigLinter.Lint(yaml));

        Assert.Equal("error: global.server_name: must be host[:port] without a scheme; remove \"https://\"", finding.ToString());
    }

    [Theory]
    [InlineData("  metrics:\n    enabled: false", "  metrics:\n    enabled: true", "global.metrics.basic_auth")]
    [InlineData("  registration_shared_secret: a-long-random-secret\n", "", "client_api.registration_shared_secret")]
    [InlineData("    enabled: true\n    threshold: 20", "    enabled: false\n    threshold: 20", "client_api.rate_limiting.enabled")]
    [InlineData("  disable_tls_validation: false\n  prefer", "  disable_tls_validation: true\n  prefer", "federation_api.disable_tls_validation")]
    [InlineData("    storage_path: /var/dendrite/jetstream", "    storage_path: /var/dendrite/jetstream\n    in_memory: true", "global.jetstream.in_memory")]
    [InlineData("  base_path: /var/dendrite/media", "  base_path: ./media_store", "media_api.base_path")]
    [InlineData("  private_key: /var/dendrite/storage-keys/matrix_key.pem", "  private_key: matrix_key.pem", "global.private_key")]
    public void RiskySetting_IsAWarning(string find, string replace, string path)
    {
        var yaml = Valid();
        Assert.Contains(find, yaml, StringComparison.Ordinal);

        var finding = Assert.Single(DendriteConfigLinter.Lint(yaml.Replace(find, replace, StringComparison.Ordinal)));

        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.Equal(path, finding.Path);
    }

    [Fact]
    public void OriginDeploymentMistakes_AreFound()
    {
        var yaml = Valid()
            .Replace("  disable_federation: true", "  well_known_server_name: \"http://dendrite.xp-dendrite.svc.workshop.k8s\"\n  disable_federation: true", StringComparison.Ordinal)
            .Replace("client_api:", "app_service_api:\n  database:\n    connection_string: file:///var/sqlite/dendrite/appservice\nclient_api:", StringComparison.Ordinal);

        var findings = DendriteConfigLinter.Lint(yaml);

        Assert.Contains(findings, f => f is { Severity: FindingSeverity.Error, Path: "global.well_known_server_name" });
        Assert.Contains(findings, f => f is { Severity: FindingSeverity.Warning, Path: "app_service_api.database" });
    }

    [Fact]
    public void EmptyFile_ReportsTheMissingEssentials()
    {
        var findings = DendriteConfigLinter.Lint("");
        var paths = findings.Where(f => f.Severity == FindingSeverity.Error).Select(f => f.Path).ToList();

        Assert.Contains(findings, f => f is { Path: "version", Severity: FindingSeverity.Warning });
        Assert.Contains("global.server_name", paths);
        Assert.Contains("global.private_key", paths);
        Assert.Contains("global.jetstream.storage_path", paths);
        Assert.Contains("media_api.base_path", paths);
        Assert.Contains("room_server.database.connection_string", paths);
    }

    [Fact]
    public void ListAtTheTop_IsAnError()
    {
        var finding = Assert.Single(DendriteConfigLinter.Lint("- version: 2\n"));

        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Equal("line 1, column 1", finding.Path);
    }
}
