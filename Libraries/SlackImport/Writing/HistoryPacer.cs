using DendriteAspire.Admin.Matrix;

namespace DendriteAspire.SlackImport.Writing;

/// <summary>
/// Keeps one room's import within reach of what Dendrite shows. Dendrite answers a send once its roomserver has the
/// event; its sync API (which serves <c>/messages</c>, <c>/sync</c> and the import's own record on the next run) and
/// its user API consume the roomserver's output afterwards, one event at a time. A writer that never waits runs ahead
/// of them: on a 100,000-message import the sync and user APIs were still catching up 642 s after the last answer, the
/// history was not visible until then, and a second run started in that time would not have seen the record of what the
/// first one wrote. So every <see cref="Window"/> events the writer waits until the sync API has stored the event of the
/// window before; and at the end of a room until it has stored the last one (<see cref="CaughtUpAsync"/>).
/// </summary>
public sealed class HistoryPacer
{
    /// <summary>Events a room's writer may be ahead of the sync API by, at most twice this.</summary>
    public const int DefaultWindow = 50;

    private readonly Func<string, CancellationToken, Task<bool>> _isVisible;
    private readonly string _where;
    private readonly TimeSpan _poll;
    private readonly TimeSpan _patience;
    private readonly Action<string>? _progress;
    private int _sinceCheckpoint;
    private string? _checkpoint;
    private string? _last;

    /// <param name="isVisible">Whether the sync API has stored an event (<see cref="AppServiceClient.IsVisibleAsync"/>).</param>
    /// <param name="where">The room, for messages: "#general (!abc:server)".</param>
    /// <param name="window">Events between checkpoints.</param>
    /// <param name="poll">How often to ask while waiting.</param>
    /// <param name="patience">How long one event may stay invisible before the import stops with an error.</param>
    /// <param name="progress">Where a line goes every 30 s of waiting.</param>
    public HistoryPacer(Func<string, CancellationToken, Task<bool>> isVisible, string where, int window = DefaultWindow, TimeSpan? poll = null, TimeSpan? patience = null, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(isVisible);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        _isVisible = isVisible;
        _where = where;
        Window = window;
        _poll = poll ?? TimeSpan.FromMilliseconds(200);
        _patience = patience ?? TimeSpan.FromMinutes(15);
        _progress = progress;
    }

    public int Window { get; }

    /// <summary>How many times the writer had to wait, and for how long in all (for the report and the bench).</summary>
    public int Waits { get; private set; }

    public TimeSpan Waited { get; private set; }

    /// <summary>Records an event the room's writer has just had answered.</summary>
    public void Written(string eventId)
    {
        _last = eventId;
        _sinceCheckpoint++;
    }

    /// <summary>
    /// Called between messages: once a window of events has been written since the last checkpoint, waits until the
    /// sync API has stored the previous checkpoint, and makes the newest event the next one.
    /// </summary>
    public async Task KeepUpAsync(CancellationToken cancellationToken)
    {
        if (_sinceCheckpoint < Window || _last is null)
        {
            return;
        }

        if (_checkpoint is not null)
        {
            await WaitAsync(_checkpoint, cancellationToken).ConfigureAwait(false);
        }

        _checkpoint = _last;
        _sinceCheckpoint = 0;
    }

    /// <summary>Waits until the sync API has stored the room's last written event: the room's history is visible.</summary>
    public Task CaughtUpAsync(CancellationToken cancellationToken) =>
        _last is null ? Task.CompletedTask : WaitAsync(_last, cancellationToken);

    private async Task WaitAsync(string eventId, CancellationToken cancellationToken)
    {
        if (await _isVisible(eventId, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        Waits++;
        var started = DateTime.UtcNow;
        var nextLine = started + TimeSpan.FromSeconds(30);
        try
        {
            while (true)
            {
                await Task.Delay(_poll, cancellationToken).ConfigureAwait(false);
                if (await _isVisible(eventId, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                var now = DateTime.UtcNow;
                if (now - started > _patience)
                {
                    throw new MatrixApiException($"wait for Dendrite to show the imported history of {_where}", System.Net.HttpStatusCode.NotFound, "M_NOT_FOUND",
                        $"Dendrite accepted {eventId} but its sync API had not stored it after {_patience.TotalMinutes:0} minutes, so the history is not visible and a new run could not see what this one wrote. "
                        + "Look for errors from the sync API in Dendrite's log (dashboard: dendrite's console logs; cluster: kubectl logs), restart Dendrite if it is stuck, then run the import again: it continues where it stopped");
                }

                if (now >= nextLine)
                {
                    _progress?.Invoke($"  {_where}: waiting for Dendrite to catch up ({(now - started).TotalSeconds:0} s; its sync API has not shown {eventId} yet)");
                    nextLine = now + TimeSpan.FromSeconds(30);
                }
            }
        }
        finally
        {
            Waited += DateTime.UtcNow - started;
        }
    }
}
