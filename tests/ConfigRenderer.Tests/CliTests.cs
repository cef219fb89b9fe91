using System.Diagnostics;
using System.Text.Json;
using DendriteAspire.ConfigRenderer.Cli;
using DendriteAspire.ConfigRenderer.Validation;

namespace DendriteAspire.ConfigRenderer.Tests;

/// <summary>The CLI contract scripts depend on, through <see cref="CommandLine.Run"/> (what Program.Main calls) and the real process.</summary>
public sealed class CliTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dendrite-cli-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Output => Path.Combine(_directory, "out");

    private string OutputFile => Path.Combine(Output, "dendrite.yaml");

    private string WriteFile(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = CommandLine.Run(args, stdout, stderr);
        return (exitCode, stdout.ToString(), stderr.ToString());
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public void Render_WritesDendriteYamlAndExitsZero()
    {
        var settings = WriteFile("settings.json", """{"ServerName": "family.example", "Database": {"Provider": "Sqlite"}, "Registration": {"SharedSecret": "s3cret"}}""");

        var (exitCode, stdout, stderr) = Run("render", "--settings", settings, "--output", Output);

        Assert.Equal(0, exitCode);
        Assert.Equal("", stderr);
        Assert.Equal($"wrote {OutputFile}", stdout.Trim());
        Assert.Contains("server_name: family.example\n", File.ReadAllText(OutputFile), StringComparison.Ordinal);
        Assert.Equal([OutputFile], Directory.GetFiles(Output));
    }

    [Fact]
    public void Render_InvalidSettings_WritesNothing_LeavesTheOldFile_AndExitsTwo()
    {
        Directory.CreateDirectory(Output);
        File.WriteAllText(OutputFile, "old config\n");
        var settings = WriteFile("settings.json", """
            {"ServerName": "https://family.example", "Database": {"Provider": "Mysql"}, "Media": {"MaxFileSizeBytes": "ten"}, "Federaton": {"Enabled": true}}
            """);

        var (exitCode, stdout, stderr) = Run("render", "--settings", settings, "--output", Output);

        Assert.Equal(2, exitCode);
        Assert.Equal("", stdout);
        var lines = Lines(stderr);
        Assert.Equal(3, lines.Length);
        Assert.All(lines, line => Assert.Matches("^error: [A-Za-z:]+: .+$", line));
        Assert.Contains(lines, l => l.StartsWith("error: Database:Provider: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("error: Media:MaxFileSizeBytes: ", StringComparison.Ordinal));
        Assert.Contains("error: Federaton: unknown setting \"Federaton\"; did you mean \"Federation\"?", lines);
        Assert.Equal("old config\n", File.ReadAllText(OutputFile));
        Assert.Equal([OutputFile], Directory.GetFiles(Output));
    }

    [Fact]
    public void Render_SettingsThatBindButDoNotValidate_PrintOneLinePerProblem()
    {
        var settings = WriteFile("settings.json", """{"ServerName": "https://family.example", "WellKnown": {"ClientUrl": "matrix.family.example"}}""");

        var (exitCode, _, stderr) = Run("render", "--settings", settings, "--output", Output);

        Assert.Equal(2, exitCode);
        Assert.Equal(
            [
                "error: ServerName: must be host[:port] without a scheme; remove \"https://\"",
                "error: WellKnown:ClientUrl: must be an http:// or https:// URL, e.g. https://matrix.family.example; add the scheme",
            ],
            Lines(stderr).Where(l => l.StartsWith("error:", StringComparison.Ordinal)));
        Assert.False(Directory.Exists(Output));
    }

    [Fact]
    public void Render_EmptySettings_RefusesToGuessTheServerName()
    {
        var settings = WriteFile("settings.json", "{}");

        var (exitCode, _, stderr) = Run("render", "--settings", settings, "--output", Output);

        Assert.Equal(2, exitCode);
        var error = Assert.Single(Lines(stderr), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.StartsWith("error: ServerName: is required; set it to the domain in your user IDs, such as family.example", error, StringComparison.Ordinal);
        Assert.Contains("it can never change later", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Output));
    }

    [Fact]
    public void Render_OverwritesAnExistingFileWhenValid()
    {
        Directory.CreateDirectory(Output);
        File.WriteAllText(OutputFile, "old config\n");
        var settings = WriteFile("settings.json", """{"ServerName": "family.example"}""");

        Assert.Equal(0, Run("render", "--settings", settings, "--output", Output).ExitCode);

        Assert.StartsWith("version: 2\n", File.ReadAllText(OutputFile), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_BrokenJson_ExitsTwo()
    {
        var settings = WriteFile("settings.json", """{"ServerName": """);

        var (exitCode, _, stderr) = Run("render", "--settings", settings, "--output", Output);

        Assert.Equal(2, exitCode);
        Assert.StartsWith("error: --settings: ", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Output));
    }

    [Theory]
    [InlineData("render")]
    [InlineData("render", "--settings")]
    [InlineData("render", "--settings", "missing.json")]
    [InlineData("render", "--output", "out")]
    [InlineData("render", "--settings", "a.json", "--output", "out", "--force")]
    [InlineData("lint")]
    [InlineData("lint", "missing.yaml")]
    [InlineData("lint", "a.yaml", "b.yaml")]
    [InlineData("lint", "a.yaml", "--format", "xml")]
    [InlineData("publish")]
    [InlineData]
    public void UsageErrors_ExitTwoWithAMessage(params string[] args)
    {
        var (exitCode, stdout, stderr) = Run(args);

        Assert.Equal(2, exitCode);
        Assert.Equal("", stdout);
        Assert.StartsWith("error: ", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("render", "--help", "render --settings <settings.json> --output <dir>")]
    [InlineData("lint", "--help", "lint <dendrite.yaml> [--format text|json]")]
    [InlineData("lint", "-h", "Exit code: 0 when there are no errors")]
    [InlineData("--help", null, "Commands:")]
    public void Help_ExplainsTheCommandAndExitsZero(string command, string? flag, string expected)
    {
        var (exitCode, stdout, stderr) = flag is null ? Run(command) : Run(command, flag);

        Assert.Equal(0, exitCode);
        Assert.Equal("", stderr);
        Assert.Contains(expected, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Lint_CleanConfig_ExitsZeroWithNoOutput()
    {
        var settings = WriteFile("settings.json", """{"ServerName": "family.example", "Registration": {"SharedSecret": "s3cret"}}""");
        Assert.Equal(0, Run("render", "--settings", settings, "--output", Output).ExitCode);

        var (exitCode, stdout, _) = Run("lint", OutputFile);

        Assert.Equal(0, exitCode);
        Assert.Equal("", stdout);
    }

    [Fact]
    public void Lint_WarningsOnly_ExitZero()
    {
        var (exitCode, stdout, _) = Run("lint", TestFiles.Sample);

        Assert.Equal(0, exitCode);
        var lines = Lines(stdout);
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.StartsWith("warning: ", line, StringComparison.Ordinal));
    }

    [Fact]
    public void Lint_GenerateConfigCiOutput_NeedsDendritesOpenRegistrationFlag()
    {
        var ci = Path.Combine(TestFiles.FixturesDirectory, "generate-config-v0.15.2", "dir-ci.yaml");

        var without = Run("lint", ci);
        var with = Run("lint", ci, "--really-enable-open-registration");

        Assert.Equal(2, without.ExitCode);
        Assert.Contains("error: client_api.registration_disabled: ", without.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, with.ExitCode);
        Assert.Contains("warning: client_api.registration_disabled: ", with.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Lint_OpenRegistrationWithTokens_ExitsTwoNamingTheTrap()
    {
        var settings = WriteFile("settings.json", """{"ServerName": "family.example", "Registration": {"SharedSecret": "s3cret"}}""");
        Assert.Equal(0, Run("render", "--settings", settings, "--output", Output).ExitCode);
        var yaml = File.ReadAllText(OutputFile)
            .Replace("  registration_disabled: true\n", "  registration_disabled: false\n  registration_requires_token: true\n", StringComparison.Ordinal)
            .Replace("  enable_registration_captcha: false\n", "  enable_registration_captcha: true\n  recaptcha_public_key: a\n  recaptcha_private_key: b\n", StringComparison.Ordinal);
        var config = WriteFile("tokens.yaml", yaml);

        var (exitCode, stdout, _) = Run("lint", config);

        Assert.Equal(2, exitCode);
        Assert.Equal(
            "error: client_api.registration_requires_token: is true while registration_disabled is false, but tokens are not enforced by Dendrite's /register (v0.13.8 to v0.15.2), so registration is open to anyone; keep registration disabled and create accounts with the shared secret (" + AccountCreation.Tools + ")",
            Assert.Single(Lines(stdout)));
    }

    [Fact]
    public void Lint_Errors_ExitTwo_OneFindingPerLine()
    {
        var config = WriteFile("dendrite.yaml", "version: 2\nglobal:\n  server_name: https://family.example\n  private_key: /k.pem\n");

        var (exitCode, stdout, _) = Run("lint", config);

        Assert.Equal(2, exitCode);
        var lines = Lines(stdout);
        Assert.All(lines, line => Assert.Matches(@"^(error|warning): \S+: .+$", line));
        Assert.Contains("error: global.server_name: must be host[:port] without a scheme; remove \"https://\"", lines);
    }

    [Fact]
    public void Lint_ParseError_ExitsTwoWithLineAndColumn()
    {
        var config = WriteFile("dendrite.yaml", "version: 2\nglobal:\n  server_name: \"family.example\n");

        var (exitCode, stdout, _) = Run("lint", config);

        Assert.Equal(2, exitCode);
        Assert.Matches(@"^error: line \d+, column \d+: the YAML does not parse", Assert.Single(Lines(stdout)));
    }

    [Fact]
    public void Lint_JsonFormat_PrintsOneObjectPerLine()
    {
        var config = WriteFile("dendrite.yaml", "version: 2\nglobal:\n  server_name: https://family.example\n");

        var (exitCode, stdout, _) = Run("lint", config, "--format", "json");

        Assert.Equal(2, exitCode);
        foreach (var line in Lines(stdout))
        {
            using var document = JsonDocument.Parse(line);
            Assert.Matches("^(error|warning)$", document.RootElement.GetProperty("severity").GetString());
            Assert.False(string.IsNullOrEmpty(document.RootElement.GetProperty("path").GetString()));
            Assert.False(string.IsNullOrEmpty(document.RootElement.GetProperty("message").GetString()));
        }

        Assert.Contains(Lines(stdout), l => l.Contains("\"path\":\"global.server_name\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RealProcess_RenderAndLint_ExitCodesAndStreams()
    {
        var settings = WriteFile("settings.json", """{"ServerName": "family.example", "Registration": {"SharedSecret": "s3cret"}}""");
        var invalid = WriteFile("invalid.json", """{"ServerName": "family example"}""");

        var render = await RunProcess("render", "--settings", settings, "--output", Output);
        var lint = await RunProcess("lint", OutputFile);
        File.WriteAllText(OutputFile, "kept\n");
        var failed = await RunProcess("render", "--settings", invalid, "--output", Output);

        Assert.Equal(0, render.ExitCode);
        Assert.Equal(0, lint.ExitCode);
        Assert.Equal(2, failed.ExitCode);
        Assert.StartsWith("error: ServerName: must not contain spaces", failed.Stderr, StringComparison.Ordinal);
        Assert.Equal("kept\n", File.ReadAllText(OutputFile));
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunProcess(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "DendriteAspire.ConfigRenderer.Cli.dll");
        Assert.True(File.Exists(dll), $"{dll} was not copied next to the tests");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout, await stderr);
    }
}
