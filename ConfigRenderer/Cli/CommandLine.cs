namespace DendriteAspire.ConfigRenderer.Cli;

/// <summary>
/// The command-line entry point: <c>render</c> and <c>lint</c>. Exit codes: 0 success, 2 invalid input, a failed
/// check, or a usage error.
/// </summary>
public static class CommandLine
{
    public const int Success = 0;
    public const int Failure = 2;

    public const string Usage = """
        Usage: DendriteAspire.ConfigRenderer <command> [options]

        Commands:
          render   Render dendrite.yaml from a settings file.
          lint     Check an existing dendrite.yaml.

        Run '<command> --help' for the options of a command.
        """;

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (args.Count == 0)
        {
            stderr.WriteLine("error: no command given");
            stderr.WriteLine(Usage);
            return Failure;
        }

        var rest = args.Skip(1).ToList();
        switch (args[0])
        {
            case "render":
                return RenderCommand.Run(rest, stdout, stderr);
            case "lint":
                return LintCommand.Run(rest, stdout, stderr);
            case "--help" or "-h" or "help":
                stdout.WriteLine(Usage);
                return Success;
            default:
                stderr.WriteLine($"error: unknown command \"{args[0]}\"");
                stderr.WriteLine(Usage);
                return Failure;
        }
    }

    /// <summary>
    /// Reads <c>--name value</c> pairs, value-less <paramref name="flagNames"/> (stored as <c>true</c>) and positional
    /// arguments; null with a message on a usage error.
    /// </summary>
    internal static (Dictionary<string, string> Options, List<string> Positional, bool Help, string? Error) Parse(
        IReadOnlyList<string> args, IReadOnlySet<string> optionNames, IReadOnlySet<string>? flagNames = null)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var positional = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h")
            {
                return (options, positional, true, null);
            }

            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                var name = arg;
                string? value = null;
                var equals = arg.IndexOf('=', StringComparison.Ordinal);
                if (equals > 0)
                {
                    name = arg[..equals];
                    value = arg[(equals + 1)..];
                }

                if (flagNames?.Contains(name) == true && value is null)
                {
                    if (!options.TryAdd(name, "true"))
                    {
                        return (options, positional, false, $"{name} is given twice");
                    }

                    continue;
                }

                if (!optionNames.Contains(name))
                {
                    return (options, positional, false, $"unknown option \"{name}\"");
                }

                if (value is null)
                {
                    if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    {
                        return (options, positional, false, $"{name} needs a value");
                    }

                    value = args[++i];
                }

                if (!options.TryAdd(name, value))
                {
                    return (options, positional, false, $"{name} is given twice");
                }
            }
            else
            {
                positional.Add(arg);
            }
        }

        return (options, positional, false, null);
    }
}
