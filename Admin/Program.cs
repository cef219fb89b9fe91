namespace DendriteAspire.Admin;

/// <summary>The process entry point; everything happens in <see cref="Cli.AdminCommandLine"/>.</summary>
public static class Program
{
    /// <summary>Runs the command line and exits with its exit code (see <see cref="Cli.ExitCodes"/>).</summary>
    public static async Task<int> Main(string[] args)
    {
        var code = await Cli.AdminCommandLine.RunAsync(args,
            new Cli.CliEnvironment(Console.Out, Console.Error, Environment.GetEnvironmentVariable) { EnterBackgroundCpu = () => Backup.Runtime.BackgroundCpu.Enter() })
            .ConfigureAwait(false);

        // Exit now, whatever is left: ZstdSharp's compression workers are foreground threads, and one left by an archive
        // abandoned mid-way kept a failed backup's process alive after it had printed its error (seen once, bench 16:33).
        await Console.Out.FlushAsync().ConfigureAwait(false);
        await Console.Error.FlushAsync().ConfigureAwait(false);
        Environment.Exit(code);
        return code;
    }
}
