namespace DendriteAspire.Admin.Cli;

/// <summary>
/// What the CLI takes from the process besides its arguments: output streams, environment variables, and how it
/// reaches the homeserver. Tests replace the variables and the HTTP handler; everything else is the real path.
/// </summary>
internal sealed record CliEnvironment(TextWriter Stdout, TextWriter Stderr, Func<string, string?> GetVariable, Func<HttpMessageHandler>? CreateHandler = null)
{
    /// <summary>How long one request to the homeserver may take.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);

    public HttpClient CreateHttpClient(Uri homeserver)
    {
        var http = CreateHandler is null ? new HttpClient() : new HttpClient(CreateHandler(), disposeHandler: true);
        http.BaseAddress = homeserver;
        http.Timeout = RequestTimeout;
        return http;
    }
}
