namespace DendriteAspire.AppHost.Tests;

/// <summary>
/// The fullest Kubernetes output, published once for the collection: Postgres, federation and an ingress, so every
/// workload and every optional part is there for the concern-by-concern tests.
/// </summary>
public sealed class FullestPublish : IAsyncLifetime
{
    public const string IngressHost = "matrix.family.example";

    public PublishedManifests Manifests { get; private set; } = null!;

    public async ValueTask InitializeAsync() =>
        Manifests = await PublishedManifests.PublishAsync(
            "--Dendrite:Database:Provider=Postgres",
            "--Dendrite:Federation:Enabled=true",
            $"--Dendrite:Kubernetes:Ingress:Host={IngressHost}");

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

[CollectionDefinition(Name)]
public sealed class PublishedOutputs : ICollectionFixture<FullestPublish>, ICollectionFixture<SqlitePublish>
{
    public const string Name = "fullest publish";
}
