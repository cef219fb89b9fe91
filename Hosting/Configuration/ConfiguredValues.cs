using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DendriteAspire.Hosting.Configuration;

/// <summary>
/// The two other values the integration takes from configuration, read here so that nothing outside this folder
/// reads it: a parameter's configured value (<c>Parameters:&lt;name&gt;</c>) and the pipeline step a publish run asks
/// for (<c>Pipeline:Step</c>).
/// </summary>
internal static class ConfiguredValues
{
    /// <summary>Looks up <c>Parameters:&lt;name&gt;</c>; null or empty when it is not configured.</summary>
    public static Func<string, string?> Parameters(IConfiguration configuration) =>
        name => configuration[$"Parameters:{name}"];

    /// <summary>The same, from the app's services.</summary>
    public static Func<string, string?> Parameters(IServiceProvider services) =>
        Parameters(services.GetRequiredService<IConfiguration>());

    /// <summary>The step named by <c>--step</c>, or null when the run names none.</summary>
    public static string? PipelineStep(IServiceProvider services) => services.GetRequiredService<IConfiguration>()["Pipeline:Step"];
}
