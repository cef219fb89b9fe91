namespace DendriteAspire.Hosting.Kubernetes;

/// <summary>
/// The non-root user and group a resource's pod runs as on a cluster. The group is also the pod's <c>fsGroup</c>, so
/// claims and Secret files are readable (and claims writable) by it. Resources without one run as
/// <see cref="PodSecurity.DefaultUserId"/>.
/// </summary>
/// <param name="UserId">The uid, never 0.</param>
/// <param name="GroupId">The gid and fsGroup, never 0.</param>
public sealed record ClusterUserAnnotation(long UserId, long GroupId) : IResourceAnnotation;
