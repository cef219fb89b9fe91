using System.Net;
using System.Net.Http.Headers;

namespace DendriteAspire.SlackImport.Writing;

/// <summary>The bytes of a file fetched from Slack, or why not.</summary>
public sealed record FetchedFile(byte[]? Bytes, string? MimeType, string? Failure);

/// <summary>
/// <c>--fetch-files</c>: downloads a file the export holds only as a link, from its <c>url_private_download</c> (or
/// <c>url_private</c>). Slack serves those to a request with <c>Authorization: Bearer</c> and a token with
/// <c>files:read</c>; the links in a standard export often carry their own token as the query parameter <c>t</c>,
/// which works without a header. Used only when the user asks; without it nothing is ever fetched.
/// <list type="bullet">
/// <item>Only https URLs on Slack's own hosts are fetched (the export is input: a link to anywhere else is refused, so
/// it can neither send the token elsewhere nor make the import reach into the local network); redirects are
/// followed by hand under the same rule.</item>
/// <item>A token is never written anywhere: failures and the report name the file and a link without its <c>t</c>.</item>
/// <item>Slack answers a request it does not authorise with its sign-in page (HTML, status 200): that is a failure,
/// never uploaded as the file.</item>
/// </list>
/// </summary>
public sealed class SlackFileFetcher
{
    /// <summary>Slack's file hosts: <c>files.slack.com</c> and the rest of <c>slack.com</c>, <c>slack-edge.com</c>, <c>slack-files.com</c>.</summary>
    public static readonly IReadOnlyList<string> SlackHosts = ["slack.com", "slack-edge.com", "slack-files.com"];

    /// <summary>Larger files are not fetched (Dendrite's own upload limit is usually far lower).</summary>
    public const long MaxBytes = 256L * 1024 * 1024;

    private const int MaxRedirects = 5;
    private readonly HttpClient _http;
    private readonly string? _token;
    private readonly IReadOnlyList<string> _hosts;
    private readonly bool _httpsOnly;

    /// <param name="http">A client for Slack; it must not follow redirects by itself (<see cref="CreateHttpClient"/>).</param>
    /// <param name="token">A Slack token with <c>files:read</c> (<c>xoxp-</c>/<c>xoxb-</c>), sent as a bearer token; null to rely on the links' <c>t</c>.</param>
    /// <param name="hosts">Hosts fetched from (and their subdomains); <see cref="SlackHosts"/> unless a test serves files itself.</param>
    /// <param name="httpsOnly">Refuse plain http (true except for a test's local listener).</param>
    public SlackFileFetcher(HttpClient http, string? token, IReadOnlyList<string>? hosts = null, bool httpsOnly = true)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
        _token = string.IsNullOrWhiteSpace(token) ? null : token.Trim();
        _hosts = hosts ?? SlackHosts;
        _httpsOnly = httpsOnly;
    }

    /// <summary>A client fit for <see cref="SlackFileFetcher"/>: no automatic redirects, no cookies.</summary>
    public static HttpClient CreateHttpClient() =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromMinutes(5) };

    /// <summary>The link as it may be shown: without the query parameter <c>t</c> (a Slack token).</summary>
    public static string Redact(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var q = url.IndexOf('?', StringComparison.Ordinal);
        if (q < 0)
        {
            return url;
        }

        var kept = url[(q + 1)..].Split('&').Select(p => p.StartsWith("t=", StringComparison.Ordinal) ? "t=(token)" : p);
        return url[..q] + "?" + string.Join('&', kept);
    }

    /// <summary>Fetches <paramref name="url"/>; never throws for what Slack or the network answered.</summary>
    /// <param name="url">The file's link from the export.</param>
    /// <param name="expectedMimeType">The export's mimetype for it: an HTML answer is the file only when this says HTML.</param>
    /// <param name="cancellationToken">Cancels the import.</param>
    public async Task<FetchedFile> FetchAsync(string url, string? expectedMimeType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return Failed("the link is not an absolute URL");
        }

        var hasOwnToken = uri.Query.TrimStart('?').Split('&').Any(p => p.StartsWith("t=", StringComparison.Ordinal) && p.Length > 2);
        if (_token is null && !hasOwnToken)
        {
            return Failed("the link carries no token (t=) and no Slack token was given: give --slack-token-file with a token that has files:read");
        }

        try
        {
            for (var hop = 0; hop <= MaxRedirects; hop++)
            {
                if (Refuse(uri) is { } refusal)
                {
                    return Failed(refusal);
                }

                using var request = new HttpRequestMessage(HttpMethod.Get, uri);
                if (_token is not null)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
                }

                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
                {
                    uri = location.IsAbsoluteUri ? location : new Uri(uri, location);
                    continue;
                }

                if (!response.IsSuccessStatusCode)
                {
                    return Failed(response.StatusCode switch
                    {
                        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => $"Slack refused it ({(int)response.StatusCode}): the token is invalid, expired or lacks files:read",
                        HttpStatusCode.NotFound => "Slack has no such file any more (404)",
                        _ => $"Slack answered {(int)response.StatusCode} {response.ReasonPhrase}",
                    });
                }

                var mediaType = response.Content.Headers.ContentType?.MediaType;
                if (mediaType == "text/html" && expectedMimeType != "text/html")
                {
                    return Failed("Slack answered with its sign-in page instead of the file: the token is invalid, expired or lacks files:read");
                }

                if (response.Content.Headers.ContentLength is > MaxBytes)
                {
                    return Failed($"it is larger than {MaxBytes / 1024 / 1024} MiB");
                }

                var bytes = await ReadCappedAsync(response.Content, cancellationToken).ConfigureAwait(false);
                return bytes is null ? Failed($"it is larger than {MaxBytes / 1024 / 1024} MiB") : new FetchedFile(bytes, mediaType, null);
            }

            return Failed($"more than {MaxRedirects} redirects");
        }
        catch (HttpRequestException e)
        {
            return Failed($"cannot reach {uri.Host}: {e.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failed($"{uri.Host} did not answer in time");
        }
    }

    private string? Refuse(Uri uri)
    {
        if (uri.Scheme != Uri.UriSchemeHttps && (_httpsOnly || uri.Scheme != Uri.UriSchemeHttp))
        {
            return $"not fetched: {uri.Scheme} links are not fetched, only https";
        }

        var host = uri.IdnHost;
        return _hosts.Any(h => host.Equals(h, StringComparison.OrdinalIgnoreCase) || host.EndsWith("." + h, StringComparison.OrdinalIgnoreCase))
            ? null
            : $"not fetched: {host} is not a Slack file host";
    }

    private static async Task<byte[]?> ReadCappedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static FetchedFile Failed(string reason) => new(null, null, reason);
}
