using System.Reflection;
using System.Runtime.CompilerServices;

namespace DendriteAspire.Hosting;

/// <summary>
/// How an AppHost that runs Dendrite ends on bad settings: the way the ConfigRenderer CLI does, with one
/// <c>error: &lt;key&gt;: &lt;fix&gt;</c> line per problem on stderr, no stack trace, and exit code
/// <see cref="InvalidSettingsExitCode"/>.
/// </summary>
public static class DendriteAppHost
{
    /// <summary>The exit code for invalid settings, the same as <c>ConfigRenderer render</c> and <c>lint</c> use.</summary>
    public const int InvalidSettingsExitCode = 2;

    private static int s_installed;

    /// <summary>
    /// Makes a <see cref="DendriteSettingsException"/> that nothing catches print its lines and end the process with
    /// <see cref="InvalidSettingsExitCode"/>. Only when the calling AppHost is the process itself: a test host running
    /// it in-process still sees the exception. Call it first in <c>Program.cs</c>.
    /// </summary>
    /// <example>
    /// <code>
    /// DendriteAppHost.ExitOnInvalidSettings();
    /// var builder = DistributedApplication.CreateBuilder(args);
    /// </code>
    /// </example>
    [MethodImpl(MethodImplOptions.NoInlining)] // GetCallingAssembly must see the AppHost, not an inlined frame
    public static void ExitOnInvalidSettings()
    {
        if (Assembly.GetCallingAssembly() == Assembly.GetEntryAssembly() && Interlocked.Exchange(ref s_installed, 1) == 0)
        {
            AppDomain.CurrentDomain.UnhandledException += ExitOnInvalidSettings;
        }
    }

    /// <summary>The lines printed for invalid settings: one per problem, each naming its key and the fix.</summary>
    /// <param name="exception">The invalid settings.</param>
    /// <returns>One <c>error: &lt;key&gt;: &lt;fix&gt;</c> line per problem.</returns>
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
