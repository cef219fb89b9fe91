using DendriteAspire.ConfigRenderer.Lint;
using DendriteAspire.ConfigRenderer.Rendering;

namespace DendriteAspire.ConfigRenderer.Tests;

/// <summary>
/// The linter reads a file the way Dendrite's gopkg.in/yaml.v2 does (non-strict): what it accepts is never an error,
/// what it refuses to load always is.
/// </summary>
public class YamlV2ReadingTests
{
    private static string Valid() => DendriteConfigRenderer.Render(Configs.SqliteSettings()).Yaml!;

    private static string With(string from, string to)
    {
        var yaml = Valid();
        Assert.Contains(from, yaml, StringComparison.Ordinal);
        return yaml.Replace(from, to, StringComparison.Ordinal);
    }

    private static int LineOf(string yaml, string text) => yaml.Split('\n').ToList().FindIndex(l => l.Contains(text, StringComparison.Ordinal)) + 1;

    [Theory]
    [InlineData("y", "true")]
    [InlineData("Y", "true")]
    [InlineData("yes", "true")]
    [InlineData("Yes", "true")]
    [InlineData("YES", "true")]
    [InlineData("True", "true")]
    [InlineData("TRUE", "true")]
    [InlineData("on", "true")]
    [InlineData("On", "true")]
    [InlineData("ON", "true")]
    [InlineData("n", "false")]
    [InlineData("N", "false")]
    [InlineData("no", "false")]
    [InlineData("No", "false")]
    [InlineData("NO", "false")]
    [InlineData("False", "false")]
    [InlineData("FALSE", "false")]
    [InlineData("off", "false")]
    [InlineData("Off", "false")]
    [InlineData("OFF", "false")]
    public void Yaml11Boolean_IsOnlyAStyleWarning_AndReadAsDendriteReadsIt(string written, string meaning)
    {
        var yaml = With("  registration_disabled: true\n", $"  registration_disabled: true\n  guests_disabled: {written}\n").Replace("  guests_disabled: true\n", "", StringComparison.Ordinal);

        var findings = DendriteConfigLinter.Lint(yaml);

        var finding = Assert.Single(findings);
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.Equal("client_api.guests_disabled", finding.Path);
        Assert.StartsWith($"\"{written}\" is a YAML 1.1 boolean that Dendrite reads as {meaning}; write {meaning}", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Yaml11BooleanFalse_ReachesTheRules_AsFalse()
    {
        var yaml = With("  registration_disabled: true\n", "  registration_disabled: no\n");

        var findings = DendriteConfigLinter.Lint(yaml);

        Assert.Contains(findings, f => f is { Severity: FindingSeverity.Error, Path: "client_api.registration_disabled" } &&
                                       f.Message.Contains("without captcha", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("\"true\"")]
    [InlineData("'no'")]
    [InlineData("yEs")]
    [InlineData("1")]
    [InlineData("enabled")]
    public void NotABooleanForYamlV2_IsAnErrorWithTheLine(string written)
    {
        var yaml = With("  registration_disabled: true\n", $"  registration_disabled: {written}\n");

        var finding = Assert.Single(DendriteConfigLinter.Lint(yaml), f => f.Severity == FindingSeverity.Error);

        Assert.Equal("client_api.registration_disabled", finding.Path);
        Assert.Contains("is not a boolean", finding.Message, StringComparison.Ordinal);
        Assert.EndsWith($"(line {LineOf(yaml, "registration_disabled")})", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateKey_IsAWarningNamingBothLines_AndTheLastOneWins()
    {
        var yaml = With("  registration_disabled: true\n", "  registration_disabled: false\n  registration_disabled: true\n");

        var finding = Assert.Single(DendriteConfigLinter.Lint(yaml));

        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.Equal("client_api.registration_disabled", finding.Path);
        var first = LineOf(yaml, "registration_disabled: false");
        Assert.Equal($"is given 2 times (line {first} and line {first + 1}); Dendrite silently uses the last one (line {first + 1}); remove the others", finding.Message);
    }

    [Fact]
    public void DuplicateKey_LastValueIsTheOneValidated()
    {
        var yaml = With("  registration_disabled: true\n", "  registration_disabled: true\n  registration_disabled: false\n");

        var findings = DendriteConfigLinter.Lint(yaml);

        Assert.Contains(findings, f => f is { Severity: FindingSeverity.Warning, Path: "client_api.registration_disabled" });
        Assert.Contains(findings, f => f is { Severity: FindingSeverity.Error, Path: "client_api.registration_disabled" });
    }

    [Fact]
    public void DuplicateSection_IsAWarning_AndItsBlocksMergeAsInDendrite()
    {
        var yaml = Valid() + "client_api:\n  guests_disabled: false\n";

        var findings = DendriteConfigLinter.Lint(yaml);

        var finding = Assert.Single(findings);
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.Equal("client_api", finding.Path);
        Assert.Contains("merge them into one block", finding.Message, StringComparison.Ordinal);
        Assert.Contains($"line {LineOf(yaml, "client_api:")} and line {yaml.Split('\n').Length - 2}", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyTurnUserLifetime_IsValid_BecauseDendriteOnlyParsesANonEmptyValue()
    {
        var yaml = Valid() + "  turn:\n    turn_user_lifetime: \"\"\n";
        yaml = yaml.Replace("\nclient_api:\n", "\nclient_api:\n  turn:\n    turn_user_lifetime: \"\"\n", StringComparison.Ordinal);
        yaml = yaml[..yaml.LastIndexOf("  turn:\n", StringComparison.Ordinal)];

        Assert.Empty(DendriteConfigLinter.Lint(yaml));
    }

    [Theory]
    [InlineData("\"300\"")]
    [InlineData("five minutes")]
    public void MalformedTurnUserLifetime_IsAnError(string written)
    {
        var yaml = Valid().Replace("\nclient_api:\n", $"\nclient_api:\n  turn:\n    turn_user_lifetime: {written}\n", StringComparison.Ordinal);

        var finding = Assert.Single(DendriteConfigLinter.Lint(yaml));

        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Equal("client_api.turn.turn_user_lifetime", finding.Path);
    }

    [Fact]
    public void EmptyRealDuration_IsAnError_BecauseYamlV2CannotParseIt()
    {
        var yaml = With("key_validity_period: 168h", "key_validity_period: \"\"");

        var finding = Assert.Single(DendriteConfigLinter.Lint(yaml));

        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Equal("global.key_validity_period", finding.Path);
        Assert.Contains("is not a Go duration, so Dendrite refuses to load the config", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("  well_known_server_name: \"\"\n")]
    [InlineData("  well_known_client_name: \"\"\n")]
    [InlineData("  well_known_sliding_sync_proxy: \"\"\n")]
    [InlineData("  jetstream:\n    credentials_path: \"\"\n")]
    public void EmptyOptionalStrings_AreUnset(string addition)
    {
        var yaml = Valid().Replace("\nglobal:\n", "\nglobal:\n" + addition, StringComparison.Ordinal);

        Assert.DoesNotContain(DendriteConfigLinter.Lint(yaml), f => f.Severity == FindingSeverity.Error);
    }

    [Fact]
    public void EmptyValue_IsTheGoZeroValue()
    {
        var yaml = With("  registration_disabled: true\n", "  registration_disabled:\n");

        var findings = DendriteConfigLinter.Lint(yaml);

        Assert.Contains(findings, f => f is { Severity: FindingSeverity.Error, Path: "client_api.registration_disabled" });
    }

    [Fact]
    public void QuotedNumber_IsAnError_BecauseYamlV2ReadsText()
    {
        var yaml = With("bcrypt_cost: 10", "bcrypt_cost: \"10\"");

        var finding = Assert.Single(DendriteConfigLinter.Lint(yaml));

        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Contains("quotes make any value text", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NegativeUnsigned_IsAnError()
    {
        var yaml = Valid().Replace("\nfederation_api:\n", "\nfederation_api:\n  send_max_retries: -1\n", StringComparison.Ordinal);

        var finding = Assert.Single(DendriteConfigLinter.Lint(yaml));

        Assert.Equal("federation_api.send_max_retries", finding.Path);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
    }

    [Fact]
    public void SectionGivenAsAValue_IsAnError()
    {
        var yaml = Valid() + "tracing: on\n";

        var finding = Assert.Single(DendriteConfigLinter.Lint(yaml));

        Assert.Equal("tracing", finding.Path);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
    }

    [Fact]
    public void JaegerBlock_WithEveryKeyItTakes_LintsClean()
    {
        var yaml = Valid() + """
            tracing:
              enabled: false
              jaeger:
                serviceName: dendrite
                traceid_128bit: true
                tags:
                - key: family
                  value: 1
                sampler:
                  type: const
                  param: 1
                  samplingRefreshInterval: 1m
                  options: []
                reporter:
                  queueSize: 100
                  bufferflushinterval: 1s
                  attemptreconnectinterval: 30s
                  http_headers:
                    X-Family: yes
                headers:
                  TraceContextHeaderName: uber-trace-id
                baggage_restrictions:
                  refreshInterval: 1m
                throttler:
                  synchronousInitialization: true

            """;

        Assert.Empty(DendriteConfigLinter.Lint(yaml));
    }

    [Fact]
    public void AnchorsAndMerges_AreReadLikeYamlV2()
    {
        var yaml = "x_defaults: &defaults\n  guests_disabled: false\n  registration_disabled: false\n" +
                   Valid().Replace("\nclient_api:\n", "\nclient_api:\n  <<: *defaults\n", StringComparison.Ordinal);

        var findings = DendriteConfigLinter.Lint(yaml);

        // merged keys yield to the block's own keys, so the merge is no duplicate and registration stays disabled
        Assert.Equal(["x_defaults"], findings.Select(f => f.Path));
    }

    [Fact]
    public void KeysNewerThanV0138_AreAccepted()
    {
        var yaml = Valid().Replace("\nfederation_api:\n", "\nfederation_api:\n  deny_networks:\n  - 10.0.0.0/8\n  allow_networks:\n  - 0.0.0.0/0\n", StringComparison.Ordinal)
            .Replace("  jetstream:\n", "  jetstream:\n    js_domain: family\n", StringComparison.Ordinal);

        Assert.Empty(DendriteConfigLinter.Lint(yaml));
    }
}
