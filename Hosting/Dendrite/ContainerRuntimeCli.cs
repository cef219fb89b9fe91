using System.Diagnostics;
using Aspire.Hosting.Publishing;
using Microsoft.Extensions.DependencyInjection;

namespace DendriteAspire.Hosting;

/// <summary>
/// Asks the local container runtime (the <c>docker</c> or <c>podman</c> CLI that DCP drives) one short question
/// before anything starts. A runtime that is missing, hangs or fails gives no answer, never an exception: every caller
/// has a safe default for "don't know".
/// </summary>
internal static class ContainerRuntimeCli
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Runs <paramref name="check"/> before anything starts, in run mode only, with the runtime DCP will use
    /// (<c>docker</c> or <c>podman</c>, configured or detected).
    /// </summary>
    public static void BeforeStart(IDistributedApplicationBuilder builder, Func<BeforeStartEvent, string, CancellationToken, Task> check)
    {
        if (!builder.ExecutionContext.IsRunMode)
        {
            return;
        }

        builder.Eventing.Subscribe<BeforeStartEvent>(async (@event, cancellationToken) =>
        {
#pragma warning disable ASPIRECONTAINERRUNTIME001 // the resolver DCP itself uses: configured or auto-detected runtime
            var runtime = await @event.Services.GetRequiredService<IContainerRuntimeResolver>().ResolveAsync(cancellationToken).ConfigureAwait(false);
#pragma warning restore ASPIRECONTAINERRUNTIME001
            await check(@event, runtime.Name.ToLowerInvariant(), cancellationToken).ConfigureAwait(false);
        });
    }

    /// <summary>The command's standard output when it exits 0; otherwise null.</summary>
    public static async Task<string?> OutputAsync(string runtime, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        try
        {
            var start = new ProcessStartInfo(runtime, arguments)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(Deadline);
            try
            {
                var output = process.StandardOutput.ReadToEndAsync(deadline.Token);
                var errors = process.StandardError.ReadToEndAsync(deadline.Token);
                await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
                await errors.ConfigureAwait(false);
                return process.ExitCode == 0 ? await output.ConfigureAwait(false) : null;
            }
            catch (OperationCanceledException)
            {
                // Hung past the deadline, or the start was cancelled: never leave the CLI running behind us.
                process.Kill(entireProcessTree: true);
                cancellationToken.ThrowIfCancellationRequested();
                return null;
            }
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return null;
        }
    }
}
