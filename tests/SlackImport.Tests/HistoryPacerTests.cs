using DendriteAspire.Admin.Matrix;
using DendriteAspire.SlackImport.Writing;

namespace DendriteAspire.SlackImport.Tests;

/// <summary>
/// The import's pacing: a room's writer stays within two windows of what Dendrite's sync API has stored, and a room
/// is done only once its last event is stored.
/// </summary>
public sealed class HistoryPacerTests
{
    /// <summary>A sync API that stores events only when told to, and records what it was asked.</summary>
    private sealed class SyncApi
    {
        public HashSet<string> Stored { get; } = [];
        public List<string> Asked { get; } = [];
        public Action? OnAsk { get; set; }

        /// <summary>When set, questions about this event are answered only once the test completes it.</summary>
        public (string EventId, TaskCompletionSource<bool> Answer)? Held { get; set; }

        public Task<bool> IsVisibleAsync(string eventId, CancellationToken cancellationToken)
        {
            Asked.Add(eventId);
            OnAsk?.Invoke();
            return Held is { } held && held.EventId == eventId ? held.Answer.Task : Task.FromResult(Stored.Contains(eventId));
        }
    }

    private static HistoryPacer Pacer(SyncApi sync, int window = 3, TimeSpan? patience = null) =>
        new(sync.IsVisibleAsync, "channel general (!room:localhost)", window, poll: TimeSpan.FromMilliseconds(1), patience: patience);

    private static async Task WriteAsync(HistoryPacer pacer, IEnumerable<string> ids)
    {
        foreach (var id in ids)
        {
            await pacer.KeepUpAsync(CancellationToken.None);
            pacer.Written(id);
        }
    }

    [Fact]
    public async Task The_check_of_a_checkpoint_runs_while_the_next_window_is_written_and_holds_the_writer_only_after_it()
    {
        var sync = new SyncApi();
        var answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        sync.Held = ("$e3", answer);
        var pacer = Pacer(sync);

        // e1..e3 fill the first window; before e4 the newest (e3) becomes the checkpoint, nothing to check yet.
        await WriteAsync(pacer, ["$e1", "$e2", "$e3", "$e4", "$e5", "$e6"]);
        Assert.Empty(sync.Asked);

        // Before e7 the check of e3 starts, and the writer goes on while it runs.
        await WriteAsync(pacer, ["$e7", "$e8", "$e9"]);
        Assert.Equal(["$e3"], sync.Asked);

        // Before e10 the writer needs that answer: it waits until the sync API has e3.
        var keepUp = pacer.KeepUpAsync(CancellationToken.None);
        Assert.False(keepUp.IsCompleted);
        sync.Stored.Add("$e6"); // So the check that starts next (of e6) ends at once.
        answer.SetResult(true);
        await keepUp;
        Assert.Equal(1, pacer.Waits);
        Assert.Equal(["$e3", "$e6"], sync.Asked);
    }

    [Fact]
    public async Task A_writer_that_is_not_behind_never_waits()
    {
        var sync = new SyncApi();
        var pacer = Pacer(sync);
        var ids = Enumerable.Range(1, 30).Select(i => $"$e{i}").ToList();
        sync.Stored.UnionWith(ids);

        await WriteAsync(pacer, ids);
        await pacer.CaughtUpAsync(CancellationToken.None);

        Assert.Equal(0, pacer.Waits);
        // One question per window after the first, and one for the last event: a few per cent of the writes.
        Assert.Equal(["$e3", "$e6", "$e9", "$e12", "$e15", "$e18", "$e21", "$e24"], sync.Asked.SkipLast(1));
        Assert.Equal("$e30", sync.Asked[^1]);
    }

    [Fact]
    public async Task Caught_up_waits_for_the_last_event_written_and_not_for_a_room_with_nothing_written()
    {
        var sync = new SyncApi();
        await Pacer(sync).CaughtUpAsync(CancellationToken.None);
        Assert.Empty(sync.Asked);

        var pacer = Pacer(sync, window: 100);
        await WriteAsync(pacer, ["$a", "$b"]);
        sync.OnAsk = () =>
        {
            if (sync.Asked.Count == 2)
            {
                sync.Stored.Add("$b");
            }
        };
        await pacer.CaughtUpAsync(CancellationToken.None);
        Assert.Equal(["$b", "$b"], sync.Asked);
        Assert.Equal(1, pacer.Waits);
    }

    [Fact]
    public async Task An_event_the_sync_API_never_stores_stops_the_import_naming_the_room_the_event_and_the_log()
    {
        var sync = new SyncApi();
        var pacer = Pacer(sync, window: 1, patience: TimeSpan.FromMilliseconds(50));
        await WriteAsync(pacer, ["$stuck"]);

        var e = await Assert.ThrowsAsync<MatrixApiException>(() => pacer.CaughtUpAsync(CancellationToken.None));
        Assert.Contains("channel general (!room:localhost)", e.Message, StringComparison.Ordinal);
        Assert.Contains("$stuck", e.Message, StringComparison.Ordinal);
        Assert.Contains("Dendrite's log", e.Message, StringComparison.Ordinal);
        Assert.Contains("run the import again", e.Message, StringComparison.Ordinal);
    }
}
