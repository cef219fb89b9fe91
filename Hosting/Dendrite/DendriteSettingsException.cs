using DendriteAspire.ConfigRenderer.Rendering;

namespace DendriteAspire.Hosting;

/// <summary>
/// Thrown while the app model is built, before any container exists, when the <c>Dendrite</c> settings are
/// invalid. The message lists every problem as <c>error: &lt;key path&gt;: &lt;how to fix it&gt;</c>.
/// </summary>
public sealed class DendriteSettingsException : DistributedApplicationException
{
    /// <summary>Creates the exception from the errors found, each naming its key path and the fix.</summary>
    /// <param name="errors">The errors, each with its key path.</param>
    public DendriteSettingsException(IReadOnlyList<ConfigFinding> errors)
        : base(Describe(errors)) => Errors = errors;

    /// <summary>Creates the exception with no findings.</summary>
    public DendriteSettingsException() : this([]) { }

    /// <summary>Creates the exception with a message of its own.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    public DendriteSettingsException(string message) : base(message) => Errors = [];

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    /// <param name="innerException">The cause.</param>
    public DendriteSettingsException(string message, Exception innerException) : base(message, innerException) => Errors = [];

    /// <summary>The problems found, each with its key path.</summary>
    public IReadOnlyList<ConfigFinding> Errors { get; }

    private static string Describe(IReadOnlyList<ConfigFinding> errors) =>
        "The Dendrite settings are invalid; nothing was started. Fix these and run again:"
        + Environment.NewLine
        + string.Join(Environment.NewLine, errors.Select(e => "  " + e));
}
