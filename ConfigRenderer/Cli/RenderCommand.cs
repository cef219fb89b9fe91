using DendriteAspire.ConfigRenderer.Layout;
using DendriteAspire.ConfigRenderer.Rendering;
using DendriteAspire.ConfigRenderer.Settings;
using Microsoft.Extensions.Configuration;

namespace DendriteAspire.ConfigRenderer.Cli;

/// <summary><c>render --settings &lt;settings.json&gt; --output &lt;dir&gt;</c>.</summary>
internal static class RenderCommand
{
    public const string Help = """
        Usage: DendriteAspire.ConfigRenderer render --settings <settings.json> --output <dir>

        Renders <dir>/dendrite.yaml from a settings file whose root holds the Dendrite settings, e.g.
          {"ServerName": "family.example", "Database": {"Provider": "Sqlite"}}

        On invalid settings nothing is written (an existing dendrite.yaml is left untouched), one line per
        problem is printed as 'error: <key path>: <message>', and the exit code is 2. Warnings are printed
        as 'warning: <key path>: <message>' and do not stop the render.

        Options:
          --settings <file>   The settings JSON file.
          --output <dir>      The directory to write dendrite.yaml into (created if missing).
          -h, --help          Show this help.
        """;

    private static readonly HashSet<string> OptionNames = ["--settings", "--output"];

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var (options, positional, help, error) = CommandLine.Parse(args, OptionNames);
        if (help)
        {
            stdout.WriteLine(Help);
            return CommandLine.Success;
        }

        error ??= positional.Count > 0 ? $"unexpected argument \"{positional[0]}\""
            : !options.ContainsKey("--settings") ? "--settings <file> is required"
            : !options.ContainsKey("--output") ? "--output <dir> is required"
            : null;
        if (error is not null)
        {
            stderr.WriteLine($"error: {error}");
            stderr.WriteLine(Help);
            return CommandLine.Failure;
        }

        var settingsFile = Path.GetFullPath(options["--settings"]);
        if (!File.Exists(settingsFile))
        {
            stderr.WriteLine($"error: --settings: file \"{settingsFile}\" does not exist; give the path of a settings JSON file");
            return CommandLine.Failure;
        }

        IConfiguration configuration;
        try
        {
            configuration = new ConfigurationBuilder().AddJsonFile(settingsFile, optional: false, reloadOnChange: false).Build();
        }
        catch (Exception exception) when (exception is InvalidDataException or FormatException or IOException)
        {
            var detail = exception.InnerException?.Message ?? exception.Message;
            stderr.WriteLine($"error: --settings: \"{settingsFile}\" is not valid JSON: {detail}");
            return CommandLine.Failure;
        }

        var bound = DendriteSettingsBinder.Bind(configuration);
        if (!bound.Succeeded)
        {
            WriteFindings(bound.Findings, stderr);
            return CommandLine.Failure;
        }

        var result = DendriteConfigRenderer.Render(bound.Settings);
        WriteFindings(bound.Findings.Concat(result.Findings), stderr);
        if (!result.Succeeded)
        {
            return CommandLine.Failure;
        }

        var target = Path.Combine(Path.GetFullPath(options["--output"]), DendritePaths.ConfigFileName);
        var registration = Path.Combine(Path.GetFullPath(options["--output"]), DendritePaths.ImportRegistrationFileName);
        try
        {
            AtomicFile.Write(target, result.Yaml!);
            if (result.ImportRegistrationYaml is { } yaml)
            {
                AtomicFile.Write(registration, yaml);
                stdout.WriteLine($"wrote {registration} (Import:Enabled; remove it by rendering with Import:Enabled false after the import)");
            }
            else if (File.Exists(registration))
            {
                // The import token speaks for every user: once Import is off it must not lie around.
                File.Delete(registration);
                stdout.WriteLine($"removed {registration} (Import:Enabled is false)");
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"error: --output: cannot write \"{target}\": {exception.Message}");
            return CommandLine.Failure;
        }

        stdout.WriteLine($"wrote {target}");
        return CommandLine.Success;
    }

    private static void WriteFindings(IEnumerable<ConfigFinding> findings, TextWriter writer)
    {
        foreach (var finding in findings)
        {
            writer.WriteLine(finding.ToString());
        }
    }
}
