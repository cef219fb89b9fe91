using DendriteAspire.Admin.Matrix;
using DendriteAspire.SlackImport.Writing;

namespace DendriteAspire.SlackImport.Tests;

/// <summary>
/// The import's pace against Dendrite's user API: a progress line every few hundred events, the next one posted only
/// once the one before has been handled, and a last line waited for at the end.
/// </summary>
public sealed class UserApiPacerTests
{
    /// <summary>A progress room whose lines the user API handles only when told to; records every call in order.</summary>
    private sealed class ProgressRoom
    {
        private int _lines;
        public List<string> Calls { get; } = [];
        public HashSet<string> Handled { get; } = [];
        public bool HandleOnSecondAsk { get; set; }
        private readonly Dictionary<string, int> _asks = [];

        public Task<string> PostAsync(long events, CancellationToken cancellationToken)
        {
            var line = $"$line{++_lines}";
            lock (Calls)
            {
                Calls.Add($"post {line} at {events}");
            }

            return Task.FromResult(line);
        }

        public Task<bool> HandledAsync(string line, CancellationToken cancellationToken)
        {
            lock (Calls)
            {
                Calls.Add($"ask {line}");
                _asks[line] = _asks.GetValueOrDefault(line) + 1;
                if (HandleOnSecondAsk && _asks[line] == 2)
                {
                    Handled.Add(line);
                }

                return Task.FromResult(Handled.Contains(line));
            }
        }
    }

    private static UserApiPacer Pacer(ProgressRoom room, int every = 10, TimeSpan? patience = null) =>
        new(room.PostAsync, room.HandledAsync, every, poll: TimeSpan.FromMilliseconds(1), patience: patience);

    private static async Task WriteAsync(UserApiPacer pacer, int events)
    {
        for (var i = 0; i < events; i++)
        {
            await pacer.KeepUpAsync(CancellationToken.None);
            pacer.Written();
        }
    }

    [Fact]
    public async Task Each_line_is_posted_only_after_the_one_before_was_handled()
    {
        var room = new ProgressRoom { HandleOnSecondAsk = true };
        using var pacer = Pacer(room);

        await WriteAsync(pacer, 9);
        Assert.Empty(room.Calls);

        await WriteAsync(pacer, 25);
        // Dendrite deletes a reader's notifications up to the moment it marks a line read, so the next line may only
        // be posted after the one before was seen: post, then ask (until handled), then post.
        // Each line is checked from the moment it is posted, in the background (the last one may be asked about once
        // more by now: it is handled on the second question).
        List<string> calls;
        lock (room.Calls)
        {
            calls = [.. room.Calls];
        }

        Assert.Equal(["post $line1 at 10", "ask $line1", "ask $line1", "post $line2 at 20", "ask $line2", "ask $line2", "post $line3 at 30", "ask $line3"], calls.Take(8));
        Assert.All(calls.Skip(8), c => Assert.Equal("ask $line3", c));
        Assert.InRange(calls.Count, 8, 9);
        Assert.Equal(34, pacer.Events);
    }

    [Fact]
    public async Task The_end_waits_for_the_last_line_and_an_import_that_wrote_nothing_posts_nothing()
    {
        var room = new ProgressRoom { HandleOnSecondAsk = true };
        using (var idle = Pacer(room))
        {
            await idle.CaughtUpAsync(CancellationToken.None);
            Assert.Empty(room.Calls);
        }

        using var pacer = Pacer(room);
        await WriteAsync(pacer, 15);
        await pacer.CaughtUpAsync(CancellationToken.None);
        Assert.Equal(["post $line1 at 10", "ask $line1", "ask $line1", "post $line2 at 15", "ask $line2", "ask $line2"], room.Calls);
    }

    [Fact]
    public async Task Writers_crossing_the_line_together_post_it_once()
    {
        var room = new ProgressRoom { HandleOnSecondAsk = true };
        using var pacer = Pacer(room, every: 50);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => WriteAsync(pacer, 40))));

        Assert.Equal(320, pacer.Events);
        var posts = room.Calls.Where(c => c.StartsWith("post", StringComparison.Ordinal)).ToList();
        // One line per 50 events at most (writers count between their checks, so a line may come a little late).
        Assert.InRange(posts.Count, 5, 6);
        Assert.Equal(posts.Count, posts.Distinct().Count());
    }

    [Fact]
    public async Task A_line_the_user_API_never_handles_stops_the_import_naming_the_line_and_the_log()
    {
        var room = new ProgressRoom();
        using var pacer = Pacer(room, every: 1, patience: TimeSpan.FromMilliseconds(50));
        await WriteAsync(pacer, 1);

        var e = await Assert.ThrowsAsync<MatrixApiException>(() => pacer.CaughtUpAsync(CancellationToken.None));
        Assert.Contains("$line1", e.Message, StringComparison.Ordinal);
        Assert.Contains("user API", e.Message, StringComparison.Ordinal);
        Assert.Contains("Dendrite's log", e.Message, StringComparison.Ordinal);
        Assert.Contains("run the import again", e.Message, StringComparison.Ordinal);
    }
}
