using DendriteAspire.Admin.Matrix;

namespace DendriteAspire.SlackImport.Writing;

/// <summary>
/// Keeps the whole import within reach of Dendrite's user API. That API handles the roomserver's output one event at a
/// time, in order, and for each event evaluates the push rules of every local member of the room; it falls behind a
/// writer with several rooms in flight (on the bench, after the last answer of a 100,000-message import it needed
/// another 642 s, while a sequential <c>PUT /send</c> loop at the same event rate left it nothing to do), and while it
/// is behind it competes with the roomserver for the CPU. So every <see cref="Every"/> events the import posts a
/// progress line into its own progress room, which notifies the watcher there; before the next line, the watcher must
/// have the notification of that one, which means the user API has handled every event written before it (it works
/// in stream order). Until then every room's writer waits. The import's last line is waited for too: a finished
/// import has its unread counts and notifications settled.
/// </summary>
public sealed class UserApiPacer : IDisposable
{
    /// <summary>Events between progress lines: the user API is at most about twice this behind.</summary>
    public const int DefaultEvery = 200;

    private readonly Func<long, CancellationToken, Task<string>> _post;
    private readonly Func<string, CancellationToken, Task<bool>> _handled;
    private readonly BackgroundCheck _check;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _events;
    private long _nextAt;

    /// <param name="post">Posts a progress line saying how many events were written; returns its event id.</param>
    /// <param name="handled">Whether the user API has handled a progress line (the watcher has its notification).</param>
    /// <param name="every">Events between progress lines.</param>
    /// <param name="poll">How often to ask while waiting.</param>
    /// <param name="patience">How long one line may stay unhandled before the import stops with an error.</param>
    /// <param name="progress">Where a line goes every 30 s of waiting.</param>
    public UserApiPacer(Func<long, CancellationToken, Task<string>> post, Func<string, CancellationToken, Task<bool>> handled, int every = DefaultEvery,
        TimeSpan? poll = null, TimeSpan? patience = null, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(post);
        ArgumentNullException.ThrowIfNull(handled);
        ArgumentOutOfRangeException.ThrowIfLessThan(every, 1);
        _post = post;
        _handled = handled;
        Every = every;
        _nextAt = every;
        _check = new BackgroundCheck(poll, patience, progress);
    }

    public int Every { get; }

    /// <summary>Events written so far (all rooms).</summary>
    public long Events => Interlocked.Read(ref _events);

    /// <summary>How many times the writers had to wait, and for how long in all (wall time; they wait together).</summary>
    public int Waits => _check.Waits;

    public TimeSpan Waited => _check.Waited;

    public void Dispose() => _gate.Dispose();

    /// <summary>Counts an event any room's writer has just had answered.</summary>
    public void Written() => Interlocked.Increment(ref _events);

    /// <summary>
    /// Called by every room's writer between messages. Once <see cref="Every"/> events have been written since the
    /// last progress line, one writer makes sure the user API has handled that line (a check that started when it was
    /// posted, normally long finished), then posts the next and starts checking it in the background; the other
    /// writers wait with it. The user API is thus never more than about two windows behind, and while it keeps up the
    /// writers lose only the time of one post per window.
    /// </summary>
    public async Task KeepUpAsync(CancellationToken cancellationToken)
    {
        if (Events < Volatile.Read(ref _nextAt))
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var events = Events;
            if (events < _nextAt)
            {
                return; // Another writer has just posted this line.
            }

            await PostNextAsync(events, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _nextAt, events + Every);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>At the end: posts a last line and waits until the user API has handled it (nothing when nothing was written).</summary>
    public async Task CaughtUpAsync(CancellationToken cancellationToken)
    {
        if (Events == 0)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await PostNextAsync(Events, cancellationToken).ConfigureAwait(false);
            await _check.AwaitAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The line before must be handled before the next is posted: the watcher marks each line read once it has it, and
    /// Dendrite deletes a reader's notifications by time (everything up to the moment of the read marker,
    /// <c>setFullyRead</c> in <c>userapi/internal/user_api.go</c>), so no newer line may exist by then.
    /// </summary>
    private async Task PostNextAsync(long events, CancellationToken cancellationToken)
    {
        await _check.AwaitAsync().ConfigureAwait(false);
        var line = await _post(events, cancellationToken).ConfigureAwait(false);
        _check.Start(token => _handled(line, token), "wait for Dendrite's user API to handle the imported history",
            $"Dendrite accepted the import's progress line {line} but its user API (push rules, notifications) had not handled it",
            waited => $"  waiting for Dendrite's user API to catch up ({waited.TotalSeconds:0} s; {Events} events written so far)", cancellationToken);
    }
}
