using System.Text.Encodings.Web;
using System.Text.Json;
using DendriteAspire.ConfigRenderer.Lint;
using DendriteAspire.ConfigRenderer.Rendering;

namespace DendriteAspire.ConfigRenderer.Cli;

/// <summary><c>lint &lt;dendrite.yaml&gt; [--format text|json]</c>.</summary>
internal static class LintCommand
{
    public const string Help = """
        Usage: DendriteAspire.ConfigRenderer lint <dendrite.yaml> [--format text|json]

        Checks an existing Dendrite config and prints one finding per line:
          text (default): 'error|warning: <key path>: <message>'
          json:           {"severity":"error|warning","path":"<key path>","message":"<message>"}

        It reports unknown keys (warnings: Dendrite silently ignores them), every validation error, and
        risky settings such as metrics without auth or no way to create users (warnings).
        YAML that does not parse is an error whose path gives the line and column.

        Exit code: 0 when there are no errors (warnings allowed), 2 when there are errors, the YAML does not
        parse, or the arguments are wrong.

        Options:
          --format <text|json>   Output format (default text).
          -h, --help             Show this help.
        """;

    private static readonly HashSet<string> OptionNames = ["--format"];

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var (options, positional, help, error) = CommandLine.Parse(args, OptionNames);
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

        var findings = DendriteConfigLinter.Lint(File.ReadAllText(file));
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
