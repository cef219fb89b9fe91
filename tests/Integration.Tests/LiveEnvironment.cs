namespace DendriteAspire.Integration.Tests;

/// <summary>
/// Decides once per test run whether the live suite can run: a container runtime that answers `info`, and the Dendrite
/// (and, for the Postgres cases, Postgres) image present locally or pullable. When something is missing every live test
/// is reported skipped with the reason; with <c>DENDRITE_LIVE=required</c> it fails instead. A live test never passes
/// without having run.
/// </summary>
public static class LiveEnvironment
{
    public const string DefaultDendriteImage = "docker.io/matrixdotorg/dendrite-monolith";
    public const string DefaultDendriteTag = "v0.15.2";
    public const string PostgresImage = "docker.io/library/postgres:18.3";

    /// <summary>Element Web, as the product pins it; its nginx is also the HTTP proxy <see cref="KubeletEmulation"/> emulates a Service with.</summary>
    public const string ElementImage = "docker.io/vectorim/element-web:v1.11.31";

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PullTimeout = TimeSpan.FromMinutes(5);
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly Dictionary<string, string?> ImageProblems = new(StringComparer.Ordinal);
    private static (ContainerRuntime? Runtime, string? Problem)? runtimeProbe;

    /// <summary>The Dendrite image the AppHost will run, honouring <c>Dendrite__Image</c> and <c>Dendrite__ImageTag</c>.</summary>
    public static string DendriteImage
    {
        get
        {
            var image = Environment.GetEnvironmentVariable("Dendrite__Image");
            var tag = Environment.GetEnvironmentVariable("Dendrite__ImageTag");
            return $"{(string.IsNullOrWhiteSpace(image) ? DefaultDendriteImage : image)}:{(string.IsNullOrWhiteSpace(tag) ? DefaultDendriteTag : tag)}";
        }
    }

    private static bool Required =>
        string.Equals(Environment.GetEnvironmentVariable("DENDRITE_LIVE"), "required", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Returns the runtime to use, or ends the test: skipped with the reason, or failed when <c>DENDRITE_LIVE=required</c>.
    /// </summary>
    public static async Task<ContainerRuntime> RequireAsync(bool withPostgres, bool withElement = false)
    {
        var (runtime, problem) = await ProbeAsync(withPostgres, withElement).ConfigureAwait(false);
        if (runtime is not null && problem is null)
        {
            return runtime;
        }

        var reason = $"Live Dendrite test not run: {problem}";
        if (Required)
        {
            Assert.Fail($"{reason} (DENDRITE_LIVE=required)");
        }

        Assert.Skip($"{reason} (set DENDRITE_LIVE=required to make this a failure)");
        throw new InvalidOperationException("unreachable: Assert.Skip throws");
    }

    private static async Task<(ContainerRuntime? Runtime, string? Problem)> ProbeAsync(bool withPostgres, bool withElement)
    {
        await Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            runtimeProbe ??= await FindRuntimeAsync().ConfigureAwait(false);
            if (runtimeProbe.Value.Runtime is not { } runtime)
            {
                return runtimeProbe.Value;
            }

            List<string> images = [DendriteImage];
            if (withPostgres)
            {
                images.Add(PostgresImage);
            }

            if (withElement)
            {
                images.Add(ElementImage);
            }

            foreach (var image in images)
            {
                if (!ImageProblems.TryGetValue(image, out var problem))
                {
                    problem = await EnsureImageAsync(runtime, image).ConfigureAwait(false);
                    ImageProblems[image] = problem;
                }

                if (problem is not null)
                {
                    return (runtime, problem);
                }
            }

            return (runtime, null);
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<(ContainerRuntime? Runtime, string? Problem)> FindRuntimeAsync()
    {
        var configured = Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME");
        string[] candidates = string.IsNullOrWhiteSpace(configured) ? ["docker", "podman"] : [configured.Trim().ToLowerInvariant()];
        var problems = new List<string>();
        foreach (var candidate in candidates)
        {
            var runtime = new ContainerRuntime(candidate);
            var info = await runtime.RunAsync(ProbeTimeout, CancellationToken.None, "info").ConfigureAwait(false);
            if (info.Succeeded)
            {
                return (runtime, null);
            }

            problems.Add(info.ExitCode == -1 && info.StandardError.StartsWith($"{candidate} is not on PATH", StringComparison.Ordinal)
                ? $"{candidate} is not on PATH"
                : $"`{candidate} info` failed: {info.FirstErrorLine}");
        }

        var source = string.IsNullOrWhiteSpace(configured) ? "" : " (ASPIRE_CONTAINER_RUNTIME)";
        return (null, $"no container runtime{source}: {string.Join("; ", problems)}");
    }

    /// <summary>Null when the image is present locally, or was pulled now; otherwise what is missing.</summary>
    private static async Task<string?> EnsureImageAsync(ContainerRuntime runtime, string image)
    {
        var inspect = await runtime.RunAsync(ProbeTimeout, CancellationToken.None, "image", "inspect", image).ConfigureAwait(false);
        if (inspect.Succeeded)
        {
            return null;
        }

        var pull = await runtime.RunAsync(PullTimeout, CancellationToken.None, "pull", image).ConfigureAwait(false);
        if (pull.Succeeded)
        {
            return null;
        }

        return $"image {image} is not present locally (`{runtime.Name} image inspect`) and `{runtime.Name} pull` failed: {pull.FirstErrorLine}";
    }
}
