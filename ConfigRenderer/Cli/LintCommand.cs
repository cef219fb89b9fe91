using System.Text.Encodings.Web;
using System.Text.Json;
using DendriteAspire.ConfigRenderer.Lint;
using DendriteAspire.ConfigRenderer.Rendering;

namespace DendriteAspire.ConfigRenderer.Cli;

/// <summary><c>lint &lt;dendrite.yaml&gt; [--format text|json] [--really-enable-open-registration]</c>.</summary>
internal static class LintCommand
{
    public const string Help = """
        Usage: DendriteAspire.ConfigRenderer lint <dendrite.yaml> [--format text|json] [--really-enable-open-registration]

        Checks an existing Dendrite config the way Dendrite v0.13.8 to v0.15.2 reads it, and prints one finding
        per line:
          text (default): 'error|warning: <key path>: <message>'
          json:           {"severity":"error|warning","path":"<key path>","message":"<message>"}

        An error means Dendrite refuses the config or will misbehave: a value it cannot load (with its line),
        a failed validation rule, open registration with tokens Dendrite never checks. Warnings: unknown keys
        (Dendrite silently ignores them), keys given twice (Dendrite uses the last; both lines are named),
        YAML 1.1 booleans such as yes/on (valid, but write true/false), and risky settings such as metrics
        without auth or no way to create users. YAML that does not parse is an error with line and column.

        Exit code: 0 when there are no errors (warnings allowed), 2 when there are errors, the YAML does not
        parse, or the arguments are wrong.

        Options:
          --format <text|json>                Output format (default text).
          --really-enable-open-registration   Dendrite is started with this flag of its own, so open
                                              registration without captcha is a warning, not an error.
          -h, --help                          Show this help.
        """;

    private static readonly HashSet<string> OptionNames = ["--format"];

    private static readonly HashSet<string> FlagNames = ["--really-enable-open-registration"];

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var (options, positional, help, error) = CommandLine.Parse(args, OptionNames, FlagNames);
        if (help)
        {
            stdout.WriteLine(Help);
            return CommandLine.Success;
        }

        var format = options.GetValueOrDefault("--format", "text");
        error ??= positional.Count == 0 ? "the dendrite.yaml path is required"
            : positional.Count > 1 ? $"unexpected argument \"{positional[1]}\""
            : format is not ("text" or "json") ? $"--format must be text or json, not \"{format}\""
            : null;
        if (error is not null)
        {
            stderr.WriteLine($"error: {error}");
            stderr.WriteLine(Help);
            return CommandLine.Failure;
        }

        var file = Path.GetFullPath(positional[0]);
        if (!File.Exists(file))
        {
            stderr.WriteLine($"error: \"{file}\" does not exist; give the path of a dendrite.yaml");
            return CommandLine.Failure;
        }

        var findings = DendriteConfigLinter.Lint(File.ReadAllText(file),
            new LintOptions { ReallyEnableOpenRegistration = options.ContainsKey("--really-enable-open-registration") });
        foreach (var finding in findings)
        {
            stdout.WriteLine(format == "json" ? Json(finding) : finding.ToString());
        }

        return findings.Any(f => f.Severity == FindingSeverity.Error) ? CommandLine.Failure : CommandLine.Success;
    }

    private static string Json(ConfigFinding finding) => JsonSerializer.Serialize(new Dictionary<string, string>
    {
        ["severity"] = finding.Severity == FindingSeverity.Error ? "error" : "warning",
        ["path"] = finding.Path,
        ["message"] = finding.Message,
    }, JsonOptions);
}
