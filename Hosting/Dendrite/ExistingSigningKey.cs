using Aspire.Hosting.Publishing;
using DendriteAspire.ConfigRenderer.Layout;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DendriteAspire.Hosting;

/// <summary>
/// A warm start needs no key step. Before anything starts (run mode only), the AppHost asks the runtime where the
/// keys volume lives on this host and looks for the key there. When every file the key step would create is present
/// and non-empty, Dendrite does not wait for the step and the step is not started (the dashboard shows it as not
/// started, and its log says why); starting it by hand still only keeps the key. When the volume is missing, or the
/// runtime keeps it where this process cannot look (Docker Desktop's VM, root's Docker volumes for a non-root user),
/// the step runs as on a first start. Either way an existing key is never rewritten.
/// </summary>
internal static partial class ExistingSigningKey
{
    /// <summary>The files the key step creates, relative to the keys volume: the signing key, and the TLS pair with federation.</summary>
    public static IReadOnlyList<string> Files(bool withTlsCertificate) => withTlsCertificate
        ? [DendritePaths.SigningKeyFileName, Path.GetFileName(SigningKeyGeneration.TlsCertificate), Path.GetFileName(SigningKeyGeneration.TlsKey)]
        : [DendritePaths.SigningKeyFileName];

    /// <summary>Subscribes the check for <paramref name="keygen"/>, whose volume is <paramref name="volumeName"/>.</summary>
    public static void SkipKeyStepWhenPresent(IResourceBuilder<DendriteResource> dendrite, IResourceBuilder<DendriteKeyGenerationResource> keygen,
        string volumeName) =>
        ContainerRuntimeCli.BeforeStart(dendrite.ApplicationBuilder, async (@event, runtime, cancellationToken) =>
        {
            var files = Files(dendrite.Resource.Settings.Federation.Enabled);
            var mountpoint = await MountpointAsync(runtime, volumeName, cancellationToken).ConfigureAwait(false);
            if (mountpoint is null || !AllPresent(mountpoint, files))
            {
                return;
            }

            SkipKeyStep(dendrite.Resource, keygen.Resource);
            var logger = @event.Services.GetRequiredService<ResourceLoggerService>().GetLogger(keygen.Resource);
            LogNotNeeded(logger, files, volumeName, mountpoint, dendrite.Resource.Name);
        });

    /// <summary><c>volume inspect --format {{.Mountpoint}}</c>: where the volume's files are on this host; null when it does not exist.</summary>
    public static async Task<string?> MountpointAsync(string runtime, string volumeName, CancellationToken cancellationToken)
    {
        var output = await ContainerRuntimeCli.OutputAsync(runtime, ["volume", "inspect", "--format", "{{.Mountpoint}}", volumeName], cancellationToken)
            .ConfigureAwait(false);
        var path = output?.Trim();
        return string.IsNullOrEmpty(path) ? null : path;
    }

    /// <summary>Whether each of <paramref name="files"/> exists under <paramref name="directory"/> and is not empty (the key step's own test).</summary>
    public static bool AllPresent(string directory, IEnumerable<string> files)
    {
        try
        {
            return files.All(file => new FileInfo(Path.Combine(directory, file)) is { Exists: true, Length: > 0 });
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }

    /// <summary>Dendrite stops waiting for the key step, and the step is left for a manual start.</summary>
    public static void SkipKeyStep(DendriteResource dendrite, DendriteKeyGenerationResource keygen)
    {
        foreach (var wait in dendrite.Annotations.OfType<WaitAnnotation>().Where(w => w.Resource == keygen).ToList())
        {
            dendrite.Annotations.Remove(wait);
        }

        if (!keygen.Annotations.OfType<ExplicitStartupAnnotation>().Any())
        {
            keygen.Annotations.Add(new ExplicitStartupAnnotation());
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message =
        "Not started: {Files} already on volume {Volume} ({Mountpoint}), so {Resource} starts without waiting for the key step. Starting it here only keeps the key and its mode 0400.")]
    private static partial void LogNotNeeded(ILogger logger, IReadOnlyList<string> files, string volume, string mountpoint, string resource);
}
