namespace DendriteAspire.Admin.Cli;

/// <summary>
/// What the CLI takes from the process besides its arguments: output streams, environment variables, and how it
/// reaches the homeserver. Tests replace the variables and the HTTP handler; everything else is the real path.
/// </summary>
internal sealed record CliEnvironment(TextWriter Stdout, TextWriter Stderr, Func<string, string?> GetVariable, Func<HttpMessageHandler>? CreateHandler = null)
{
    /// <summary>How long one request to the homeserver may take.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Puts the whole process but its pause lane into the idle CPU and I/O classes
    /// (<see cref="DendriteAspire.Backup.Runtime.BackgroundCpu.Enter()"/>) for a backup beside the running server: set only
    /// by <see cref="Program.Main"/>, where the process is the CLI's own. Null (tests, which run the CLI inside their own
    /// process) leaves the classes alone.
    /// </summary>
    public Func<DendriteAspire.Backup.Runtime.BackgroundCpu>? EnterBackgroundCpu { get; init; }

    public HttpClient CreateHttpClient(Uri homeserver)
    {
        var http = CreateHandler is null ? new HttpClient() : new HttpClient(CreateHandler(), disposeHandler: true);
        http.BaseAddress = homeserver;
        http.Timeout = RequestTimeout;
        return http;
    }
}
