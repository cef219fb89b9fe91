namespace DendriteAspire.Hosting;

/// <summary>
/// A config file rendered from the model for one target. Locally it becomes a container file; on Kubernetes it
/// becomes a Secret mounted read-only at <see cref="Directory"/> (a rendered config may hold secrets).
/// </summary>
/// <param name="Directory">The directory the file lives in, inside the container.</param>
/// <param name="FileName">The file's name.</param>
/// <param name="Render">Renders the contents, resolving model values the way the target sees them.</param>
public sealed record RenderedConfigFileAnnotation(
    string Directory,
    string FileName,
    Func<ResolveValue, CancellationToken, Task<string>> Render) : IResourceAnnotation;
