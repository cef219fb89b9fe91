using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DendriteAspire.Integration.Tests;

/// <summary>
/// One running instance of the real AppHost (through <see cref="DistributedApplicationTestingBuilder"/>) with
/// <c>dendrite</c> healthy, and a <see cref="MatrixClient"/> on its <c>http</c> endpoint. Disposing stops every
/// container; the named volumes stay (they belong to the volume prefix, see <see cref="VolumePrefix"/>).
/// </summary>
public sealed class DendriteApp : IAsyncDisposable
{
    public const string RegistrationSecretParameter = "dendrite-registration-secret";
    public const string PostgresPasswordParameter = "postgres-password";

    /// <summary>Generous: includes DCP start, keygen, Postgres start and Dendrite's migrations on a slow CI machine.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromMinutes(1);

    private DendriteApp(DistributedApplication app, MatrixClient matrix)
    {
        App = app;
        Matrix = matrix;
    }

    public DistributedApplication App { get; }

    public MatrixClient Matrix { get; }

    public DistributedApplicationModel Model => App.Services.GetRequiredService<DistributedApplicationModel>();

    /// <summary>
    /// Command-line arguments for the AppHost: the volume prefix, a dynamic host port, the probed runtime, then
    /// <paramref name="settings"/> (<c>--Dendrite:Key=value</c>).
    /// </summary>
    public static string[] Arguments(ContainerRuntime runtime, string volumePrefix, IEnumerable<string> settings)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        return
        [
            $"--Dendrite:VolumePrefix={volumePrefix}",
            "--Dendrite:HostPort=0",
            "--Dendrite:Client:HostPort=0",
            "--Dendrite:Onboarding:HostPort=0",
            // No scheduled backups into ~/.local/share during tests (the first would come a minute after start).
            "--Dendrite:Backup:Every=off",
            $"--DcpPublisher:ContainerRuntime={runtime.Name}",
            .. settings,
        ];
    }

    /// <summary>Starts the AppHost; <paramref name="configure"/> may change its model first (see <see cref="PreviousVersion"/>).</summary>
    public static async Task<DendriteApp> StartAsync(
        ContainerRuntime runtime, string volumePrefix, IEnumerable<string> settings, CancellationToken cancellationToken,
        Action<IDistributedApplicationTestingBuilder>? configure = null)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder
            .CreateAsync<Projects.AppHost>(Arguments(runtime, volumePrefix, settings), deadline.Token).ConfigureAwait(false);
        configure?.Invoke(builder);
        var dcpErrors = new DcpErrorLog();
        builder.Services.AddLogging(logging => logging.AddProvider(dcpErrors));
        DistributedApplication app;
        try
        {
            app = await builder.BuildAsync(deadline.Token).ConfigureAwait(false);
        }
        catch
        {
            await builder.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        try
        {
            await app.StartAsync(deadline.Token).ConfigureAwait(false);
            // Stops waiting as soon as dendrite (or what it waits for) fails, instead of running into the timeout.
            await app.ResourceNotifications.WaitForResourceHealthyAsync("dendrite", WaitBehavior.StopOnResourceUnavailable, deadline.Token)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var what = e is OperationCanceledException
                ? $"dendrite was not healthy within {StartTimeout.TotalMinutes:0} min"
                : $"dendrite did not start: {e.Message}";
            // A moment for the last lines of a container that just exited to arrive.
            await Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None).ConfigureAwait(false);
            var report = await StartDiagnostics.DescribeAsync(app, dcpErrors).ConfigureAwait(false);
            await StopAndDisposeAsync(app).ConfigureAwait(false);
            throw new DendriteStartException($"{what}\n{report}", e);
        }
        catch
        {
            await StopAndDisposeAsync(app).ConfigureAwait(false);
            throw;
        }

        var http = app.CreateHttpClient("dendrite", "http");
        http.Timeout = TimeSpan.FromMinutes(1);
        return new DendriteApp(app, new MatrixClient(http));
    }

    /// <summary>The value of a parameter resource of the AppHost (for example the generated registration secret).</summary>
    public async Task<string> GetParameterValueAsync(string name, CancellationToken cancellationToken)
    {
        var parameter = Model.Resources.OfType<ParameterResource>().Single(p => p.Name == name);
        return await parameter.GetValueAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"parameter {name} has no value");
    }

    private int _disposed;

    /// <summary>Stops the app; a second call does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        Matrix.Http.Dispose();
        await StopAndDisposeAsync(App).ConfigureAwait(false);
    }

    private static async Task StopAndDisposeAsync(DistributedApplication app)
    {
        using var stop = new CancellationTokenSource(StopTimeout);
        try
        {
            await app.StopAsync(stop.Token).ConfigureAwait(false);
        }
        finally
        {
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>The app did not bring dendrite up healthy; the message carries the states, logs and DCP errors.</summary>
public sealed class DendriteStartException : Exception
{
    public DendriteStartException()
    {
    }

    public DendriteStartException(string message) : base(message)
    {
    }

    public DendriteStartException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
