namespace DendriteAspire.Hosting.Kubernetes;

/// <summary>Turns a value from the model (a secret parameter, a database URI) into the text a target sees.</summary>
/// <param name="value">The model value.</param>
/// <param name="cancellationToken">Cancels the lookup.</param>
/// <returns>The value's text for the target.</returns>
public delegate ValueTask<string?> ResolveValue(IValueProvider value, CancellationToken cancellationToken);

/// <summary>
/// A config file rendered from the model for one target. Locally it becomes a container file; on Kubernetes it
/// becomes a Secret (or, when <see cref="HoldsSecrets"/> is false, a ConfigMap) mounted read-only at
/// <see cref="Directory"/>.
/// </summary>
/// <param name="Directory">The directory the file lives in, inside the container.</param>
/// <param name="FileName">The file's name.</param>
/// <param name="Render">Renders the contents, resolving model values the way the target sees them.</param>
public sealed record RenderedConfigFileAnnotation(
    string Directory,
    string FileName,
    Func<ResolveValue, CancellationToken, Task<string>> Render) : IResourceAnnotation
{
    /// <summary>
    /// False for a file that must never hold a secret (Element's <c>config.json</c>): it is published as a ConfigMap,
    /// and publishing fails if a secret value reaches it.
    /// </summary>
    public bool HoldsSecrets { get; init; } = true;

    /// <summary>
    /// True when <see cref="Directory"/> also holds the image's own files (Element's <c>/app</c>): only the file is
    /// mounted there, never the whole directory.
    /// </summary>
    public bool SharesDirectory { get; init; }
}
