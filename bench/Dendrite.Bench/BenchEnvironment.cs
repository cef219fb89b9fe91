using DendriteAspire.Integration.Tests;

namespace DendriteAspire.Bench;

/// <summary>Where the repository is, which container runtime to use, and which Dendrite image the AppHost will run.</summary>
internal static class BenchEnvironment
{
    public static string DendriteImage
    {
        get
        {
            var image = Environment.GetEnvironmentVariable("Dendrite__Image");
            var tag = Environment.GetEnvironmentVariable("Dendrite__ImageTag");
            return $"{(string.IsNullOrWhiteSpace(image) ? "docker.io/matrixdotorg/dendrite-monolith" : image)}:{(string.IsNullOrWhiteSpace(tag) ? "v0.15.2" : tag)}";
        }
    }

    public static string FindRepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "DendriteAspire.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("DendriteAspire.sln not found above the current directory");
    }

    /// <summary>The runtime (ASPIRE_CONTAINER_RUNTIME, else docker then podman) with the image present, or why not.</summary>
    public static async Task<(ContainerRuntime? Runtime, string? Problem)> FindRuntimeAsync(CancellationToken cancellationToken)
    {
        var configured = Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME");
        string[] candidates = string.IsNullOrWhiteSpace(configured) ? ["docker", "podman"] : [configured.Trim().ToLowerInvariant()];
        var problems = new List<string>();
        foreach (var candidate in candidates)
        {
            var runtime = new ContainerRuntime(candidate);
            var info = await runtime.RunAsync(TimeSpan.FromSeconds(30), cancellationToken, "info").ConfigureAwait(false);
            if (!info.Succeeded)
            {
                problems.Add(info.FirstErrorLine.StartsWith($"{candidate} is not on PATH", StringComparison.Ordinal)
                    ? $"{candidate} is not on PATH" : $"{candidate}: {info.FirstErrorLine}");
                continue;
            }

            var image = DendriteImage;
            var inspect = await runtime.RunAsync(TimeSpan.FromSeconds(30), cancellationToken, "image", "inspect", image).ConfigureAwait(false);
            if (inspect.Succeeded)
            {
                return (runtime, null);
            }

            var pull = await runtime.RunAsync(TimeSpan.FromMinutes(5), cancellationToken, "pull", image).ConfigureAwait(false);
            return pull.Succeeded ? (runtime, null) : (null, $"image {image} absent and pull failed: {pull.FirstErrorLine}");
        }

        return (null, $"no container runtime answers `info` ({string.Join("; ", problems)})");
    }
}
