using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;

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
            $"--DcpPublisher:ContainerRuntime={runtime.Name}",
            .. settings,
        ];
    }

    public static async Task<DendriteApp> StartAsync(
        ContainerRuntime runtime, string volumePrefix, IEnumerable<string> settings, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder
            .CreateAsync<Projects.AppHost>(Arguments(runtime, volumePrefix, settings), deadline.Token).ConfigureAwait(false);
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
            await app.ResourceNotifications.WaitForResourceHealthyAsync("dendrite", deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var state = app.ResourceNotifications.TryGetCurrentState("dendrite", out var e) ? e.Snapshot.State?.Text : "unknown";
            await StopAndDisposeAsync(app).ConfigureAwait(false);
            throw new TimeoutException($"dendrite was not healthy within {StartTimeout.TotalMinutes:0} min (state: {state})");
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

    public async ValueTask DisposeAsync()
    {
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
