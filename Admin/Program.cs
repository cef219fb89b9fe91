namespace DendriteAspire.Admin;

/// <summary>The process entry point; everything happens in <see cref="Cli.AdminCommandLine"/>.</summary>
public static class Program
{
    /// <summary>Runs the command line and returns its exit code (see <see cref="Cli.ExitCodes"/>).</summary>
    public static Task<int> Main(string[] args) => Cli.AdminCommandLine.RunAsync(args,
        new Cli.CliEnvironment(Console.Out, Console.Error, Environment.GetEnvironmentVariable) { EnterBackgroundCpu = () => Backup.Runtime.BackgroundCpu.Enter() });
}
