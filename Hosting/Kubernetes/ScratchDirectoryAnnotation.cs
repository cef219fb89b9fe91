namespace DendriteAspire.Hosting.Kubernetes;

/// <summary>
/// A directory the process writes that holds no state (a socket, temporary files). On a cluster it becomes an
/// <c>emptyDir</c>, so the container's root file system can stay read-only.
/// </summary>
/// <param name="Path">The absolute path inside the container.</param>
public sealed record ScratchDirectoryAnnotation(string Path) : IResourceAnnotation;
