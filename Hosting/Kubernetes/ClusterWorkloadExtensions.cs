namespace DendriteAspire.Hosting.Kubernetes;

/// <summary>
/// How a container runs on the cluster, where every pod meets Pod Security "restricted" with a read-only root file
/// system: its non-root user, the directories it writes that hold no state, and how others check it is ready.
/// None of these change the local run, except that Dendrite with persistent state runs locally as its cluster user too
/// (see <c>DendriteBuilderExtensions.WithPersistentState</c>).
/// </summary>
public static class ClusterWorkloadExtensions
{
    /// <summary>Runs the resource's pod as this non-root user and group; the group also owns its volumes (<c>fsGroup</c>).</summary>
    /// <typeparam name="T">The container resource type.</typeparam>
    /// <param name="builder">The resource builder.</param>
    /// <param name="userId">The uid, above 0.</param>
    /// <param name="groupId">The gid and fsGroup, above 0.</param>
    /// <returns>The resource builder.</returns>
    /// <example>
    /// <code>
    /// builder.AddContainer("web", "nginxinc/nginx-unprivileged", "1.29").WithClusterUser(101, 101);
    /// </code>
    /// </example>
    public static IResourceBuilder<T> WithClusterUser<T>(this IResourceBuilder<T> builder, long userId, long groupId) where T : ContainerResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(userId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(groupId);
        return builder.WithAnnotation(new ClusterUserAnnotation(userId, groupId), ResourceAnnotationMutationBehavior.Replace);
    }

    /// <summary>Gives the process a writable, empty directory that holds no state (an <c>emptyDir</c> on the cluster).</summary>
    /// <typeparam name="T">The container resource type.</typeparam>
    /// <param name="builder">The resource builder.</param>
    /// <param name="path">An absolute path inside the container, e.g. <c>/tmp</c>.</param>
    /// <returns>The resource builder.</returns>
    /// <example>
    /// <code>
    /// builder.AddContainer("web", "nginxinc/nginx-unprivileged", "1.29").WithScratchDirectory("/tmp");
    /// </code>
    /// </example>
    public static IResourceBuilder<T> WithScratchDirectory<T>(this IResourceBuilder<T> builder, string path) where T : ContainerResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!path.StartsWith('/'))
        {
            throw new ArgumentException($"'{path}' is not an absolute path.", nameof(path));
        }

        return builder.WithAnnotation(new ScratchDirectoryAnnotation(path), ResourceAnnotationMutationBehavior.Append);
    }

    /// <summary>
    /// Names a command from the resource's own image that succeeds once it accepts connections on an endpoint: its exec
    /// probes, and the init container of every workload that waits for it.
    /// </summary>
    /// <typeparam name="T">The container resource type.</typeparam>
    /// <param name="builder">The resource builder.</param>
    /// <param name="endpointName">The endpoint the command checks.</param>
    /// <param name="command">The command for a host and port, e.g. <c>pg_isready --host h --port p</c>.</param>
    /// <returns>The resource builder.</returns>
    /// <example>
    /// <code>
    /// postgres.WithReadinessCommand("tcp", (host, port) => ["pg_isready", "-h", host, "-p", $"{port}", "-U", "postgres"]);
    /// </code>
    /// </example>
    public static IResourceBuilder<T> WithReadinessCommand<T>(this IResourceBuilder<T> builder, string endpointName, Func<string, int, IReadOnlyList<string>> command) where T : ContainerResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(endpointName);
        ArgumentNullException.ThrowIfNull(command);
        return builder.WithAnnotation(new ReadinessCommandAnnotation(endpointName, command), ResourceAnnotationMutationBehavior.Replace);
    }
}
