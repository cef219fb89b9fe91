using DendriteAspire.Admin.Matrix;

namespace DendriteAspire.SlackImport.Writing;

/// <summary>
/// Keeps one room's import within reach of what Dendrite shows. Dendrite answers a send once its roomserver has the
/// event; its sync API (which serves <c>/messages</c>, <c>/sync</c> and the import's own record on the next run) and
/// its user API consume the roomserver's output afterwards, one event at a time. A writer that never waits runs ahead
/// of them: on a 100,000-message import the sync and user APIs were still catching up 642 s after the last answer, the
/// history was not visible until then, and a second run started in that time would not have seen the record of what the
/// first one wrote. So every <see cref="Window"/> events the writer checks (in the background) that the sync API has
/// stored the event of the window before, waits only when it has not by the next window, and at the end of a room waits
/// until it has stored the last one (<see cref="CaughtUpAsync"/>).
/// </summary>
public sealed class HistoryPacer
{
    /// <summary>Events a room's writer may be ahead of the sync API by, at most three times this.</summary>
    public const int DefaultWindow = 250;

    private readonly Func<string, CancellationToken, Task<bool>> _isVisible;
    private readonly string _where;
    private readonly BackgroundCheck _check;
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
        _check = new BackgroundCheck(poll, patience, progress);
    }

    public int Window { get; }

    /// <summary>How many times the writer had to wait for a check, and for how long in all (for the report and the bench).</summary>
    public int Waits => _check.Waits;

    public TimeSpan Waited => _check.Waited;

    /// <summary>Records an event the room's writer has just had answered.</summary>
    public void Written(string eventId)
    {
        _last = eventId;
        _sinceCheckpoint++;
    }

    /// <summary>
    /// Called between messages. Once a window of events has been written since the last checkpoint, the newest event
    /// becomes the next checkpoint and a check that the sync API has stored the previous one starts in the background;
    /// the writer waits only for the check started a window earlier (normally long finished), so the question costs the
    /// writer nothing while Dendrite keeps up, and the writer is never more than three windows ahead when it does not.
    /// </summary>
    public async Task KeepUpAsync(CancellationToken cancellationToken)
    {
        if (_sinceCheckpoint < Window || _last is null)
        {
            return;
        }

        await _check.AwaitAsync().ConfigureAwait(false);
        if (_checkpoint is not null)
        {
            StartCheck(_checkpoint, cancellationToken);
        }

        _checkpoint = _last;
        _sinceCheckpoint = 0;
    }

    /// <summary>Waits until the sync API has stored the room's last written event: the room's history is visible.</summary>
    public async Task CaughtUpAsync(CancellationToken cancellationToken)
    {
        await _check.AwaitAsync().ConfigureAwait(false);
        if (_last is not null)
        {
            StartCheck(_last, cancellationToken);
            await _check.AwaitAsync().ConfigureAwait(false);
        }
    }

    private void StartCheck(string eventId, CancellationToken cancellationToken) =>
        _check.Start(token => _isVisible(eventId, token), $"wait for Dendrite to show the imported history of {_where}",
            $"Dendrite accepted {eventId} but its sync API had not stored it, so the history is not visible and a new run could not see what this one wrote",
            waited => $"  {_where}: waiting for Dendrite to catch up ({waited.TotalSeconds:0} s; its sync API has not shown {eventId} yet)", cancellationToken);
}
