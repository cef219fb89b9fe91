namespace DendriteAspire.ConfigRenderer;

/// <summary>The process entry point; everything happens in <see cref="Cli.CommandLine"/>.</summary>
public static class Program
{
    public static int Main(string[] args) => Cli.CommandLine.Run(args, Console.Out, Console.Error);
}
