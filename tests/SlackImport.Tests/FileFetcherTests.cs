using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using DendriteAspire.SlackImport.Writing;

namespace DendriteAspire.SlackImport.Tests;

/// <summary>
/// <c>--fetch-files</c> against a local HTTP listener that serves files the way Slack's file host does (bearer token or
/// the link's own <c>t=</c>, its sign-in page when unauthorised, redirects). It stands in for Slack, not for Dendrite.
/// </summary>
public sealed class FileFetcherTests : IDisposable
{
    private static readonly byte[] Photo = [0x89, 0x50, 0x4E, 0x47, 1, 2, 3, 4, 5];
    private readonly FakeSlackFiles _slack = new();
    private readonly HttpClient _http = SlackFileFetcher.CreateHttpClient();

    public void Dispose()
    {
        _http.Dispose();
        _slack.Dispose();
    }

    private SlackFileFetcher Fetcher(string? token) => new(_http, token, hosts: ["127.0.0.1"], httpsOnly: false);

    [Fact]
    public async Task A_given_token_is_sent_as_a_bearer_token_and_the_bytes_come_back()
    {
        var fetched = await Fetcher("xoxp-family").FetchAsync(_slack.Url("/files-pri/T1-F1/download/photo.png"), "image/png", TestContext.Current.CancellationToken);

        Assert.Null(fetched.Failure);
        Assert.Equal(Photo, fetched.Bytes);
        Assert.Equal("image/png", fetched.MimeType);
        Assert.Equal("Bearer xoxp-family", Assert.Single(_slack.Requests).Authorization);
    }

    [Fact]
    public async Task A_link_with_its_own_t_token_is_fetched_without_a_header()
    {
        var fetched = await Fetcher(null).FetchAsync(_slack.Url("/files-pri/T1-F1/download/photo.png?t=xoxe-export-token"), "image/png", TestContext.Current.CancellationToken);

        Assert.Equal(Photo, fetched.Bytes);
        var request = Assert.Single(_slack.Requests);
        Assert.Null(request.Authorization);
        Assert.Contains("t=xoxe-export-token", request.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_any_token_nothing_is_requested()
    {
        var fetched = await Fetcher(null).FetchAsync(_slack.Url("/files-pri/T1-F1/download/photo.png"), "image/png", TestContext.Current.CancellationToken);

        Assert.Null(fetched.Bytes);
        Assert.Contains("--slack-token-file", fetched.Failure, StringComparison.Ordinal);
        Assert.Empty(_slack.Requests);
    }

    [Fact]
    public async Task Slacks_sign_in_page_is_a_failure_not_the_file()
    {
        var fetched = await Fetcher("xoxp-wrong").FetchAsync(_slack.Url("/files-pri/T1-F1/download/photo.png"), "image/png", TestContext.Current.CancellationToken);

        Assert.Null(fetched.Bytes);
        Assert.Contains("sign-in page", fetched.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refusal_and_a_missing_file_are_failures_that_say_so()
    {
        var forbidden = await Fetcher("xoxp-family").FetchAsync(_slack.Url("/forbidden/photo.png"), "image/png", TestContext.Current.CancellationToken);
        var missing = await Fetcher("xoxp-family").FetchAsync(_slack.Url("/missing/photo.png"), "image/png", TestContext.Current.CancellationToken);

        Assert.Contains("403", forbidden.Failure, StringComparison.Ordinal);
        Assert.Contains("files:read", forbidden.Failure, StringComparison.Ordinal);
        Assert.Contains("404", missing.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redirect_on_a_slack_host_is_followed_with_the_token()
    {
        var fetched = await Fetcher("xoxp-family").FetchAsync(_slack.Url("/redirect-here"), "image/png", TestContext.Current.CancellationToken);

        Assert.Equal(Photo, fetched.Bytes);
        Assert.Equal(2, _slack.Requests.Count);
        Assert.All(_slack.Requests, r => Assert.Equal("Bearer xoxp-family", r.Authorization));
    }

    [Fact]
    public async Task A_redirect_off_the_slack_hosts_is_not_followed()
    {
        var fetched = await Fetcher("xoxp-family").FetchAsync(_slack.Url("/redirect-away"), "image/png", TestContext.Current.CancellationToken);

        Assert.Null(fetched.Bytes);
        Assert.Contains("localhost is not a Slack file host", fetched.Failure, StringComparison.Ordinal);
        Assert.Single(_slack.Requests);
    }

    [Fact]
    public async Task Links_off_slacks_hosts_or_without_https_are_never_requested()
    {
        var slackOnly = new SlackFileFetcher(_http, "xoxp-family");

        var plainHttp = await slackOnly.FetchAsync("http://files.slack.com/files-pri/T1-F1/download/photo.png", "image/png", TestContext.Current.CancellationToken);
        var elsewhere = await slackOnly.FetchAsync(_slack.Url("/files-pri/T1-F1/download/photo.png").Replace("http://", "https://", StringComparison.Ordinal), "image/png", TestContext.Current.CancellationToken);
        var lookalike = await slackOnly.FetchAsync("https://files.slack.com.example.net/photo.png", "image/png", TestContext.Current.CancellationToken);

        Assert.Contains("only https", plainHttp.Failure, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1 is not a Slack file host", elsewhere.Failure, StringComparison.Ordinal);
        Assert.Contains("is not a Slack file host", lookalike.Failure, StringComparison.Ordinal);
        Assert.Empty(_slack.Requests);
    }

    [Fact]
    public void Redact_hides_the_links_token_and_keeps_the_rest()
    {
        Assert.Equal("https://files.slack.com/files-pri/T1-F1/photo.png?t=(token)&x=1",
            SlackFileFetcher.Redact("https://files.slack.com/files-pri/T1-F1/photo.png?t=xoxe-123-secret&x=1"));
        Assert.Equal("https://files.slack.com/a.png", SlackFileFetcher.Redact("https://files.slack.com/a.png"));
    }

    /// <summary>Serves files like files.slack.com: the photo to a bearer token <c>xoxp-family</c> or a <c>t=</c> link, the sign-in page otherwise.</summary>
    private sealed class FakeSlackFiles : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly int _port;

        public FakeSlackFiles()
        {
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                _port = ((IPEndPoint)probe.LocalEndpoint).Port;
            }

            _listener.Prefixes.Add($"http://127.0.0.1:{_port}/");
            _listener.Start();
            _ = Task.Run(ServeAsync);
        }

        public ConcurrentQueue<(string Path, string Query, string? Authorization)> Requests { get; } = new();

        public string Url(string pathAndQuery) => $"http://127.0.0.1:{_port}{pathAndQuery}";

        public void Dispose() => _listener.Close();

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                var path = context.Request.Url!.AbsolutePath;
                var query = context.Request.Url.Query;
                var authorization = context.Request.Headers["Authorization"];
                Requests.Enqueue((path, query, authorization));
                var response = context.Response;
                if (path == "/redirect-here")
                {
                    response.StatusCode = 302;
                    response.RedirectLocation = "/files-pri/T1-F1/download/photo.png";
                }
                else if (path == "/redirect-away")
                {
                    response.StatusCode = 302;
                    response.RedirectLocation = $"http://localhost:{_port}/files-pri/T1-F1/download/photo.png";
                }
                else if (path.StartsWith("/forbidden", StringComparison.Ordinal))
                {
                    response.StatusCode = 403;
                }
                else if (path.StartsWith("/missing", StringComparison.Ordinal))
                {
                    response.StatusCode = 404;
                }
                else if (authorization == "Bearer xoxp-family" || query.Contains("t=xoxe-export-token", StringComparison.Ordinal))
                {
                    response.ContentType = "image/png";
                    await response.OutputStream.WriteAsync(Photo);
                }
                else
                {
                    response.ContentType = "text/html; charset=utf-8";
                    await response.OutputStream.WriteAsync("<html><body>Sign in to Slack</body></html>"u8.ToArray());
                }

                response.Close();
            }
        }
    }
}
