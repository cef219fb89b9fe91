namespace DendriteAspire.Integration.Tests;

/// <summary>
/// The backup image built the way the README says (<c>Admin/Dockerfile</c>: the Admin CLI published self-contained onto
/// the Postgres image, which is present locally, so nothing is pulled), under a tag of this run's own, removed on dispose.
/// </summary>
public sealed class BackupImage(ContainerRuntime runtime, string name, bool owned) : IAsyncDisposable
{
    /// <summary>A prebuilt image to use instead (a developer's loop); CI leaves it unset and builds.</summary>
    public const string PrebuiltVariable = "DENDRITE_BACKUP_IMAGE";

    public string Name { get; } = name;

    public static async Task<BackupImage> BuildAsync(ContainerRuntime runtime, string prefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        if (Environment.GetEnvironmentVariable(PrebuiltVariable) is { Length: > 0 } prebuilt)
        {
            return new BackupImage(runtime, prebuilt, owned: false);
        }

        var root = AppHostCommandLine.RepositoryRoot();
        var output = Directory.CreateTempSubdirectory($"{prefix}-admin-image-").FullName;
        try
        {
            var published = await new ContainerRuntime("dotnet").RunAsync(TimeSpan.FromMinutes(10), cancellationToken,
                "publish", Path.Combine(root, "Admin"), "-c", "Release", "-r", "linux-x64", "--self-contained", "-p:InvariantGlobalization=true", "-o", output).ConfigureAwait(false);
            if (!published.Succeeded)
            {
                throw new InvalidOperationException($"dotnet publish Admin failed:\n{string.Join('\n', (published.StandardOutput + published.StandardError).Split('\n').TakeLast(20))}");
            }

            var name = $"localhost/dendrite-aspire-admin:{prefix}";
            // Podman's policy is a word; Docker's --pull is a yes/no ("always pull"), and no uses the local image.
            var neverPull = runtime.Name == "docker" ? "--pull=false" : "--pull=never";
            var built = await runtime.RunAsync(TimeSpan.FromMinutes(10), cancellationToken,
                "build", neverPull, "-f", Path.Combine(root, "Admin", "Dockerfile"), "-t", name, output).ConfigureAwait(false);
            if (!built.Succeeded)
            {
                throw new InvalidOperationException($"building the backup image failed: {built.StandardError}");
            }

            return new BackupImage(runtime, name, owned: true);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (owned)
        {
            await runtime.RunAsync(TimeSpan.FromMinutes(2), CancellationToken.None, "rmi", "-f", Name).ConfigureAwait(false);
        }
    }
}
