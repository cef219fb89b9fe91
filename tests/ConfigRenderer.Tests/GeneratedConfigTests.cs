using DendriteAspire.ConfigRenderer.Lint;
using DendriteAspire.ConfigRenderer.Rendering;

namespace DendriteAspire.ConfigRenderer.Tests;

/// <summary>
/// Lint never calls an error what Dendrite's own generate-config writes: the real v0.15.2 outputs of every mode
/// (Fixtures/generate-config-v0.15.2) and the v0.13.8 sample lint without errors and without unknown keys.
/// </summary>
public class GeneratedConfigTests
{
    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        foreach (var file in TestFiles.GeneratedConfigs)
        {
            data.Add(Path.GetFileName(file));
        }

        data.Add("../" + Path.GetFileName(TestFiles.Sample));
        return data;
    }

    [Fact]
    public void EveryGenerateConfigMode_HasAFixture()
    {
        var names = TestFiles.GeneratedConfigs.Select(Path.GetFileName).ToList();

        Assert.Equal(["default.yaml", "dir-ci-db-postgres.yaml", "dir-ci.yaml", "dir-db-postgres.yaml", "dir-server.yaml", "dir.yaml",
            "normalise-dir.yaml", "normalise-sample-v0.13.8.yaml"], names);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Lint_GeneratedConfig_HasNoErrorsAndNoUnknownKeys(string name)
    {
        var yaml = File.ReadAllText(Path.Combine(TestFiles.FixturesDirectory, "generate-config-v0.15.2", name));
        var options = name.StartsWith("dir-ci", StringComparison.Ordinal)
            ? new LintOptions { ReallyEnableOpenRegistration = true } // -ci writes a config for Complement, which starts Dendrite with -really-enable-open-registration
            : new LintOptions();

        var findings = DendriteConfigLinter.Lint(yaml, options);

        var bad = findings.Where(f => f.Severity == FindingSeverity.Error || f.Message.StartsWith("unknown key", StringComparison.Ordinal)).ToList();
        Assert.True(bad.Count == 0, $"{name}:\n{string.Join("\n", bad)}");
    }

    [Fact]
    public void Lint_CiConfigWithoutTheOpenRegistrationFlag_SaysDendriteRefusesIt()
    {
        var yaml = File.ReadAllText(Path.Combine(TestFiles.FixturesDirectory, "generate-config-v0.15.2", "dir-ci.yaml"));

        var findings = DendriteConfigLinter.Lint(yaml);

        var error = Assert.Single(findings, f => f.Severity == FindingSeverity.Error);
        Assert.Equal("client_api.registration_disabled", error.Path);
        Assert.Contains("-really-enable-open-registration", error.Message, StringComparison.Ordinal);
    }
}
