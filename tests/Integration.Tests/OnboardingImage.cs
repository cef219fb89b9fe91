using System.Formats.Tar;

namespace DendriteAspire.Integration.Tests;

/// <summary>
/// The onboarding image, built the way the README says: a framework-dependent <c>dotnet publish</c> of the project,
/// then <c>Onboarding/Dockerfile</c> over it. No image can be pulled here, so its <c>BASE</c> is a stand-in for the
/// official ASP.NET image: the Debian root file system of the Dendrite image (exported, without its metadata) with
/// the .NET and ASP.NET Core runtimes this test runs on at <c>/usr/share/dotnet</c>, and invariant globalization for
/// want of ICU. Both images are kept under names that say what they are (the base is reused while the runtime is the
/// same; the onboarding image is rebuilt once per test run, and the previous one removed).
/// </summary>
public static class OnboardingImage
{
    public const string Tag = "localhost/dendrite-aspire-onboarding:live-test";

    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(10);
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? built;

    /// <summary>Builds the image once per test run; returns its name.</summary>
    public static async Task<string> BuildAsync(ContainerRuntime runtime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (built is null)
            {
                var root = AppHostCommandLine.RepositoryRoot();
                var work = Directory.CreateTempSubdirectory("dendrite-onboarding-image-").FullName;
                try
                {
                    var baseImage = await BaseImageAsync(runtime, work, cancellationToken).ConfigureAwait(false);
                    var previous = await ImageIdAsync(runtime, Tag, cancellationToken).ConfigureAwait(false);
                    var publish = Path.Combine(work, "publish");
                    await DotnetPublishAsync(Path.Combine(root, "Onboarding"), publish, cancellationToken).ConfigureAwait(false);
                    var build = await runtime.RunAsync(BuildTimeout, cancellationToken,
                        "build", "--build-arg", $"BASE={baseImage}", "-f", Path.Combine(root, "Onboarding", "Dockerfile"), "-t", Tag, publish).ConfigureAwait(false);
                    Assert.True(build.Succeeded, $"building {Tag} with Onboarding/Dockerfile failed: {build.StandardOutput}\n{build.StandardError}");
                    if (previous is not null && previous != await ImageIdAsync(runtime, Tag, cancellationToken).ConfigureAwait(false))
                    {
                        await runtime.RunAsync(TimeSpan.FromMinutes(1), cancellationToken, "rmi", previous).ConfigureAwait(false); // the last run's, untagged now
                    }
                }
                finally
                {
                    Directory.Delete(work, recursive: true);
                }

                built = Tag;
            }

            return built;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>The stand-in for <c>mcr.microsoft.com/dotnet/aspnet</c>: made once per runtime version, then reused.</summary>
    private static async Task<string> BaseImageAsync(ContainerRuntime runtime, string work, CancellationToken cancellationToken)
    {
        var dotnetRoot = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
        var version = Environment.Version.ToString();
        var name = $"localhost/dendrite-aspire-live-test-aspnet:{version}";
        if ((await runtime.RunAsync(TimeSpan.FromSeconds(30), cancellationToken, "image", "inspect", name).ConfigureAwait(false)).Succeeded)
        {
            return name;
        }

        string[] runtimeDirectories =
        [
            Path.Combine("host", "fxr", Latest(Path.Combine(dotnetRoot, "host", "fxr"))),
            Path.Combine("shared", "Microsoft.NETCore.App", version),
            Path.Combine("shared", "Microsoft.AspNetCore.App", Latest(Path.Combine(dotnetRoot, "shared", "Microsoft.AspNetCore.App"))),
        ];

        var container = $"dendrite-aspire-live-test-export-{Guid.NewGuid():N}";
        var rootfs = Path.Combine(work, "rootfs.tar");
        var created = await runtime.RunAsync(TimeSpan.FromMinutes(1), cancellationToken, "create", "--name", container, LiveEnvironment.DendriteImage).ConfigureAwait(false);
        Assert.True(created.Succeeded, $"could not create a container of {LiveEnvironment.DendriteImage}: {created.FirstErrorLine}");
        try
        {
            var exported = await runtime.RunAsync(TimeSpan.FromMinutes(3), cancellationToken, "export", "-o", rootfs, container).ConfigureAwait(false);
            Assert.True(exported.Succeeded, $"could not export {container}: {exported.FirstErrorLine}");
        }
        finally
        {
            await runtime.RunAsync(TimeSpan.FromMinutes(1), CancellationToken.None, "rm", "-f", "-v", container).ConfigureAwait(false);
        }

        // The root file system, then the runtime under /usr/share/dotnet and /usr/bin/dotnet (new paths only: an image
        // layer may not hold a path twice).
        var combined = Path.Combine(work, "base.tar");
        await using (var output = File.Create(combined))
        {
            await using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: false);
            await using (var input = File.OpenRead(rootfs))
            {
                await using var reader = new TarReader(input);
                while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
                {
                    await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
                }
            }

            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, "usr/share/dotnet/") { Mode = (UnixFileMode)Convert.ToInt32("755", 8) }, cancellationToken).ConfigureAwait(false);
            await writer.WriteEntryAsync(Path.Combine(dotnetRoot, "dotnet"), "usr/share/dotnet/dotnet", cancellationToken).ConfigureAwait(false);
            var written = new HashSet<string>(StringComparer.Ordinal);
            foreach (var directory in runtimeDirectories)
            {
                var parts = directory.Split(Path.DirectorySeparatorChar);
                for (var i = 1; i <= parts.Length; i++)
                {
                    var parent = "usr/share/dotnet/" + string.Join('/', parts[..i]) + "/";
                    if (written.Add(parent))
                    {
                        await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, parent) { Mode = (UnixFileMode)Convert.ToInt32("755", 8) }, cancellationToken).ConfigureAwait(false);
                    }
                }

                foreach (var path in Directory.EnumerateFileSystemEntries(Path.Combine(dotnetRoot, directory), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    var entryName = "usr/share/dotnet/" + Path.GetRelativePath(dotnetRoot, path).Replace(Path.DirectorySeparatorChar, '/');
                    await writer.WriteEntryAsync(path, Directory.Exists(path) ? entryName + "/" : entryName, cancellationToken).ConfigureAwait(false);
                }
            }

            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, "usr/bin/dotnet") { LinkName = "/usr/share/dotnet/dotnet", Mode = (UnixFileMode)Convert.ToInt32("777", 8) }, cancellationToken).ConfigureAwait(false);
        }

        File.Delete(rootfs);
        var imported = await runtime.RunAsync(TimeSpan.FromMinutes(5), cancellationToken,
            "import", "--change", "ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1", "--change", "ENV APP_UID=1654", combined, name).ConfigureAwait(false);
        Assert.True(imported.Succeeded, $"could not import the ASP.NET stand-in {name}: {imported.FirstErrorLine}");
        return name;
    }

    private static async Task<string?> ImageIdAsync(ContainerRuntime runtime, string image, CancellationToken cancellationToken)
    {
        var inspect = await runtime.RunAsync(TimeSpan.FromSeconds(30), cancellationToken, "image", "inspect", "--format", "{{.Id}}", image).ConfigureAwait(false);
        return inspect.Succeeded ? inspect.StandardOutput.Trim() : null;
    }

    /// <summary>The highest version directory under <paramref name="directory"/>.</summary>
    private static string Latest(string directory) =>
        Directory.GetDirectories(directory).Select(Path.GetFileName).OfType<string>()
            .Where(v => Version.TryParse(v, out _)).MaxBy(Version.Parse)
        ?? throw new InvalidOperationException($"no runtime version under {directory}");

    /// <summary>
    /// <c>dotnet publish -c Release</c> of the project as built by the test run (its restore reused, so a build running
    /// beside this one is not disturbed), with the process runner the container CLIs use.
    /// </summary>
    private static async Task DotnetPublishAsync(string project, string output, CancellationToken cancellationToken)
    {
        var result = await new ContainerRuntime("dotnet").RunAsync(BuildTimeout, cancellationToken,
            "publish", project, "-c", "Release", "--no-restore", "-o", output, "-nologo", "-v", "q").ConfigureAwait(false);
        Assert.True(result.Succeeded, $"dotnet publish {project} exited {result.ExitCode}:\n{result.StandardOutput}\n{result.StandardError}");
    }
}
