namespace DendriteAspire.ConfigRenderer.Lint;

/// <summary>How the Dendrite that reads the config is started, where that changes what it accepts.</summary>
public sealed record LintOptions
{
    /// <summary>
    /// Dendrite runs with <c>-really-enable-open-registration</c>, so it starts with registration open and no captcha
    /// (Complement does this with <c>generate-config -ci</c> output). Open registration is then a warning, not an error.
    /// </summary>
    public bool ReallyEnableOpenRegistration { get; init; }
}
