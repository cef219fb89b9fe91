using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace DendriteAspire.SlackImport.Bench;

/// <summary>Where the import's time goes: every request counted and timed by kind (method and path shape).</summary>
internal sealed partial class RequestProfile() : DelegatingHandler(new SocketsHttpHandler())
{
    private readonly ConcurrentDictionary<string, (int Count, long Ticks)> _kinds = new(StringComparer.Ordinal);

    public void Reset() => _kinds.Clear();

    public void Print(TextWriter output)
    {
        foreach (var (kind, (count, ticks)) in _kinds.OrderByDescending(k => k.Value.Ticks))
        {
            var total = TimeSpan.FromTicks(ticks);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {kind,-44} {count,7} {total.TotalSeconds,8:0.0} s {total.TotalMilliseconds / count,7:0.0} ms"));
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        finally
        {
            var kind = request.Method + " " + Shape(request.RequestUri!.AbsolutePath);
            var ticks = Stopwatch.GetElapsedTime(start).Ticks;
            _kinds.AddOrUpdate(kind, (1, ticks), (_, v) => (v.Count + 1, v.Ticks + ticks));
        }
    }

    private static string Shape(string path)
    {
        path = Uri.UnescapeDataString(path);
        path = RoomOrUser().Replace(path, "{id}");
        path = SendTxn().Replace(path, "/send/$1/{txn}");
        return StateKey().Replace(path, "/state/$1/{key}");
    }

    [GeneratedRegex(@"[!@$][^/]+")]
    private static partial Regex RoomOrUser();

    [GeneratedRegex(@"/send/([^/]+)/[^/]+$")]
    private static partial Regex SendTxn();

    [GeneratedRegex(@"/state/([^/]+)/[^/]+$")]
    private static partial Regex StateKey();
}
