using DendriteAspire.Admin.Matrix;

namespace DendriteAspire.SlackImport.Writing;

/// <summary>
/// One question to Dendrite asked until it says yes (has the sync API stored this event, has the user API handled
/// this line), run in the background while the import goes on and awaited later. What the pacers share: the polling,
/// the patience (after which the import stops with an error naming what did not happen and where to look), a line
/// every 30 s of waiting, and the count of the times the writers actually had to wait for an answer.
/// </summary>
internal sealed class BackgroundCheck(TimeSpan? poll, TimeSpan? patience, Action<string>? progress)
{
    private readonly TimeSpan _poll = poll ?? TimeSpan.FromMilliseconds(200);
    private readonly TimeSpan _patience = patience ?? TimeSpan.FromMinutes(15);
    private Task? _pending;

    /// <summary>How many times the writers had to wait for an answer, and for how long in all.</summary>
    public int Waits { get; private set; }

    public TimeSpan Waited { get; private set; }

    /// <summary>Starts asking <paramref name="done"/> until it answers yes; the answer is awaited by <see cref="AwaitAsync"/>.</summary>
    /// <param name="done">The question.</param>
    /// <param name="operation">What is waited for, for the error: "wait for Dendrite to show ...".</param>
    /// <param name="stuck">The error's reason after the patience ran out, with the fix.</param>
    /// <param name="waiting">A progress line after the given time waiting.</param>
    public void Start(Func<CancellationToken, Task<bool>> done, string operation, string stuck, Func<TimeSpan, string> waiting, CancellationToken cancellationToken) =>
        _pending = PollAsync(done, operation, stuck, waiting, cancellationToken);

    /// <summary>Awaits the question in flight (none: returns), counting the time only when it is not answered yet.</summary>
    public async Task AwaitAsync()
    {
        if (_pending is not { } pending)
        {
            return;
        }

        _pending = null;
        if (pending.IsCompleted)
        {
            await pending.ConfigureAwait(false);
            return;
        }

        Waits++;
        var started = DateTime.UtcNow;
        try
        {
            await pending.ConfigureAwait(false);
        }
        finally
        {
            Waited += DateTime.UtcNow - started;
        }
    }

    private async Task PollAsync(Func<CancellationToken, Task<bool>> done, string operation, string stuck, Func<TimeSpan, string> waiting, CancellationToken cancellationToken)
    {
        if (await done(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var started = DateTime.UtcNow;
        var nextLine = started + TimeSpan.FromSeconds(30);
        while (true)
        {
            await Task.Delay(_poll, cancellationToken).ConfigureAwait(false);
            if (await done(cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            var now = DateTime.UtcNow;
            if (now - started > _patience)
            {
                throw new MatrixApiException(operation, System.Net.HttpStatusCode.NotFound, "M_NOT_FOUND",
                    $"{stuck} after {_patience.TotalMinutes:0} minutes. Look for errors in Dendrite's log (dashboard: dendrite's console logs; cluster: kubectl logs), "
                    + "restart Dendrite if it is stuck, then run the import again: it continues where it stopped");
            }

            if (now >= nextLine)
            {
                progress?.Invoke(waiting(now - started));
                nextLine = now + TimeSpan.FromSeconds(30);
            }
        }
    }
}
