using System.Reflection;
using System.Runtime.CompilerServices;

namespace DendriteAspire.Hosting;

/// <summary>
/// The entry of an AppHost that runs Dendrite. Bad <c>Dendrite</c> settings end the process the way the ConfigRenderer
/// CLI does: one <c>error: &lt;key&gt;: &lt;fix&gt;</c> line per problem on stderr, no stack trace, exit code
/// <see cref="InvalidSettingsExitCode"/>.
/// </summary>
public static class DendriteAppHost
{
    /// <summary>The exit code for invalid settings, the same as <c>ConfigRenderer render</c> and <c>lint</c> use.</summary>
    public const int InvalidSettingsExitCode = 2;

    private static int s_installed;

    /// <summary>
    /// Creates the builder, as <see cref="DistributedApplication.CreateBuilder(string[])"/> does. When the calling
    /// AppHost is the process itself (not a test host running it in-process), a <see cref="DendriteSettingsException"/>
    /// that nothing catches prints its lines and exits with <see cref="InvalidSettingsExitCode"/>; tests still see the
    /// exception.
    /// </summary>
    /// <example>
    /// <code>
    /// var builder = DendriteAppHost.CreateBuilder(args);
    /// builder.AddDendrite("dendrite").WithKeyGeneration().WithPersistentState();
    /// builder.Build().Run();
    /// </code>
    /// </example>
    [MethodImpl(MethodImplOptions.NoInlining)] // GetCallingAssembly must see the AppHost, not an inlined frame
    public static IDistributedApplicationBuilder CreateBuilder(string[] args)
    {
        if (Assembly.GetCallingAssembly() == Assembly.GetEntryAssembly() && Interlocked.Exchange(ref s_installed, 1) == 0)
        {
            AppDomain.CurrentDomain.UnhandledException += ExitOnInvalidSettings;
        }

        return DistributedApplication.CreateBuilder(args);
    }

    /// <summary>The lines printed for invalid settings: one per problem, each naming its key and the fix.</summary>
    public static IReadOnlyList<string> Lines(DendriteSettingsException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.Errors.Count > 0 ? [.. exception.Errors.Select(e => e.ToString())] : [$"error: {exception.Message}"];
    }

    private static void ExitOnInvalidSettings(object sender, UnhandledExceptionEventArgs e)
    {
        if (Find(e.ExceptionObject as Exception) is not { } invalid)
        {
            return;
        }

        foreach (var line in Lines(invalid))
        {
            Console.Error.WriteLine(line);
        }

        Console.Error.Flush();
        Environment.Exit(InvalidSettingsExitCode);
    }

    private static DendriteSettingsException? Find(Exception? exception) => exception switch
    {
        DendriteSettingsException invalid => invalid,
        AggregateException { InnerExceptions.Count: 1 } aggregate => Find(aggregate.InnerExceptions[0]),
        TargetInvocationException { InnerException: { } inner } => Find(inner),
        _ => null,
    };
}
