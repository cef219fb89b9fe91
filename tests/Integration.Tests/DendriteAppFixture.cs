namespace DendriteAspire.Integration.Tests;

/// <summary>
/// One AppHost shared by the tests of a collection. Nothing starts until a test asks for it: the first call checks the
/// live environment (skip or fail, see <see cref="LiveEnvironment"/>) and starts the app; later calls get the same app,
/// or the same start failure. Disposal stops the app and removes its volumes.
/// </summary>
public abstract class DendriteAppFixture : IAsyncDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private Task<DendriteApp>? started;
    private ContainerRuntime? runtime;

    protected DendriteAppFixture(string purpose, bool withPostgres)
    {
        VolumePrefix = Tests.VolumePrefix.New(purpose);
        WithPostgres = withPostgres;
    }

    public string VolumePrefix { get; }

    public bool WithPostgres { get; }

    /// <summary>The <c>--Dendrite:...</c> settings this stack runs with.</summary>
    public abstract IReadOnlyList<string> Settings { get; }

    public async Task<DendriteApp> GetAppAsync()
    {
        var live = await LiveEnvironment.RequireAsync(WithPostgres).ConfigureAwait(false);
        await gate.WaitAsync(TestContext.Current.CancellationToken).ConfigureAwait(false);
        try
        {
            runtime = live;
            // Shared by several tests, so not bound to the first caller's token; DendriteApp has its own timeouts.
            started ??= DendriteApp.StartAsync(live, VolumePrefix, Settings, CancellationToken.None);
        }
        finally
        {
            gate.Release();
        }

        return await started.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (started is not null)
            {
                try
                {
                    await (await started.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
                }
                catch (Exception) when (!started.IsCompletedSuccessfully)
                {
                    // The start failure was reported by every test that asked for the app.
                }
            }
        }
        finally
        {
            if (runtime is not null)
            {
                await Tests.VolumePrefix.RemoveVolumesAsync(runtime, VolumePrefix, WithPostgres).ConfigureAwait(false);
            }

            gate.Dispose();
            GC.SuppressFinalize(this);
        }
    }
}

/// <summary>The default stack (SQLite), with a small media limit and a client well-known URL so cases 5 and 8 can check them.</summary>
public sealed class SqliteAppFixture() : DendriteAppFixture("sqlite", withPostgres: false)
{
    public const long MaxUploadBytes = 2 * 1024 * 1024;
    public const string WellKnownClientUrl = "https://matrix.example.test";

    public override IReadOnlyList<string> Settings { get; } =
    [
        $"--Dendrite:Media:MaxFileSizeBytes={MaxUploadBytes}",
        $"--Dendrite:WellKnown:ClientUrl={WellKnownClientUrl}",
    ];
}

/// <summary>The same stack on Postgres.</summary>
public sealed class PostgresAppFixture() : DendriteAppFixture("postgres", withPostgres: true)
{
    public override IReadOnlyList<string> Settings { get; } = ["--Dendrite:Database:Provider=Postgres"];
}

[CollectionDefinition(Name)]
public sealed class SqliteStackDefinition : ICollectionFixture<SqliteAppFixture>
{
    public const string Name = "Live Dendrite on SQLite";
}

[CollectionDefinition(Name)]
public sealed class PostgresStackDefinition : ICollectionFixture<PostgresAppFixture>
{
    public const string Name = "Live Dendrite on Postgres";
}
