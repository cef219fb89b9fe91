using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace DendriteAspire.Bench;

/// <summary>Loopback ports and readiness polling.</summary>
internal static class LocalPorts
{
    /// <summary>A port that was free a moment ago on 127.0.0.1.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Polls <c>/_matrix/client/versions</c> until it answers 200; returns the time since <paramref name="since"/>,
    /// or null after <paramref name="timeout"/>. Stops early when <paramref name="gaveUp"/> says so (process exited).
    /// </summary>
    public static async Task<TimeSpan?> WaitForVersionsAsync(
        Uri baseAddress, Stopwatch since, TimeSpan timeout, Func<bool> gaveUp, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
        while (since.Elapsed < timeout && !gaveUp())
        {
            try
            {
                using var response = await http.GetAsync(new Uri("/_matrix/client/versions", UriKind.Relative), cancellationToken)
                    .ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return since.Elapsed;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // One poll timed out.
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }
}
