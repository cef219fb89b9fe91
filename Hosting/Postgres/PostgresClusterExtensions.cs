using System.Globalization;
using Aspire.Hosting.Postgres;
using DendriteAspire.Hosting.Kubernetes;
using k8s.Models;

namespace DendriteAspire.Hosting;

/// <summary>How Aspire's Postgres server runs on the home cluster.</summary>
public static class PostgresClusterExtensions
{
    /// <summary>The official Postgres image's <c>postgres</c> user and group.</summary>
    public const long PostgresUserId = 999;

    /// <summary>
    /// Postgres in a restricted pod: uid and gid 999 (which the official image supports), <c>emptyDir</c>s for its socket
    /// directory and <c>/tmp</c>, and <c>pg_isready</c> as its probes and as the wait of everything that waits for it.
    /// The run-mode AppHost creates the model's databases itself once the server is up; nothing does that in a cluster,
    /// so the server also contributes its database bootstrap to the Kubernetes output (the image's own
    /// <c>POSTGRES_DB</c> creates the first database on first start). None of this changes the local run.
    /// </summary>
    /// <param name="builder">The Postgres server resource builder.</param>
    /// <returns>The Postgres server resource builder.</returns>
    /// <example>
    /// <code>
    /// builder.AddPostgres("postgres").WithDataVolume().WithClusterDefaults();
    /// </code>
    /// </example>
    public static IResourceBuilder<PostgresServerResource> WithClusterDefaults(this IResourceBuilder<PostgresServerResource> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Resource.Annotations.OfType<ReadinessCommandAnnotation>().Any())
        {
            return builder;
        }

        return builder
            .WithClusterUser(PostgresUserId, PostgresUserId)
            .WithScratchDirectory("/var/run/postgresql")
            .WithScratchDirectory("/tmp")
            .WithReadinessCommand(
                builder.Resource.PrimaryEndpoint.EndpointName,
                (host, port) => ["pg_isready", "--host", host, "--port", port.ToString(CultureInfo.InvariantCulture), "--username", "postgres", "--timeout", "3"])
            .WithKubernetesObjects(context => AddDatabaseBootstrap(builder.Resource, context));
    }

    /// <summary>Sets <c>POSTGRES_DB</c> to the model's first database, unless the container already sets it.</summary>
    private static Task AddDatabaseBootstrap(PostgresServerResource postgres, KubernetesObjectsContext context)
    {
        if (postgres.Databases.Count == 0)
        {
            return Task.CompletedTask;
        }

        var container = context.MainContainer();
        container.Env ??= [];
        if (container.Env.All(e => e.Name != "POSTGRES_DB"))
        {
            container.Env.Add(new V1EnvVar { Name = "POSTGRES_DB", Value = postgres.Databases.First().Value });
        }

        return Task.CompletedTask;
    }
}
