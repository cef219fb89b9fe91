using System.ComponentModel;
using System.Diagnostics;

namespace DendriteAspire.Integration.Tests;

/// <summary>The output of one container-runtime command.</summary>
public sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The first non-empty line of stderr (or stdout), for skip reasons and error messages.</summary>
    public string FirstErrorLine =>
        (StandardError + "\n" + StandardOutput).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault() ?? $"exit code {ExitCode}";
}

/// <summary>
/// The docker or podman command line: probing, image checks, volume cleanup and one-off containers.
/// Every command runs with a timeout and is killed (with its children) when it overruns.
/// </summary>
public sealed class ContainerRuntime(string name)
{
    /// <summary>"docker" or "podman"; also the executable that is run.</summary>
    public string Name { get; } = name;

    /// <summary>Names of the named volumes the AppHost creates for a volume prefix (contract of issue 3).</summary>
    public static IReadOnlyList<string> VolumeNames(string prefix, bool withPostgres)
    {
        string[] names = ["jetstream", "sqlite", "media", "logs", "storage-keys", "searchindex"];
        var volumes = names.Select(n => $"{prefix}-{n}").ToList();
        if (withPostgres)
        {
            volumes.Add($"{prefix}-postgres-data");
        }

        return volumes;
    }

    public async Task<CommandResult> RunAsync(TimeSpan timeout, CancellationToken cancellationToken, params string[] arguments)
    {
        var start = new ProcessStartInfo(Name)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            return new CommandResult(-1, "", $"{Name} is not on PATH ({e.Message})");
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return new CommandResult(-1, await stdout.ConfigureAwait(false),
                $"`{Name} {string.Join(' ', arguments)}` did not finish within {timeout.TotalSeconds:0} s");
        }

        return new CommandResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    /// <summary>Removes the given volumes; missing ones are fine (`volume rm -f`).</summary>
    public async Task<CommandResult> RemoveVolumesAsync(IEnumerable<string> volumes, CancellationToken cancellationToken)
    {
        string[] arguments = ["volume", "rm", "-f", .. volumes];
        return await RunAsync(TimeSpan.FromMinutes(1), cancellationToken, arguments).ConfigureAwait(false);
    }

    /// <summary>Lists the volumes whose name contains <paramref name="prefix"/>.</summary>
    public async Task<IReadOnlyList<string>> ListVolumesAsync(string prefix, CancellationToken cancellationToken)
    {
        var result = await RunAsync(TimeSpan.FromSeconds(30), cancellationToken,
            "volume", "ls", "--quiet", "--filter", $"name={prefix}").ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"{Name} volume ls failed: {result.FirstErrorLine}");
        }

        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(v => v.StartsWith(prefix, StringComparison.Ordinal))
            .ToList();
    }

    /// <summary>The ids of the running containers that mount <paramref name="volume"/>.</summary>
    public async Task<IReadOnlyList<string>> RunningContainersWithVolumeAsync(string volume, CancellationToken cancellationToken)
    {
        var result = await RunAsync(TimeSpan.FromSeconds(30), cancellationToken,
            "ps", "--quiet", "--filter", $"volume={volume}", "--filter", "status=running").ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"{Name} ps failed: {result.FirstErrorLine}");
        }

        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>
    /// Reads the signing key from the storage-keys volume with a throw-away container of the (alpine-based) Dendrite image.
    /// </summary>
    public async Task<byte[]> ReadSigningKeyAsync(string volumePrefix, string dendriteImage, CancellationToken cancellationToken)
    {
        var result = await RunAsync(TimeSpan.FromMinutes(2), cancellationToken,
            "run", "--rm", "--entrypoint", "/bin/cat", "-v", $"{volumePrefix}-storage-keys:/k:ro", dendriteImage, "/k/matrix_key.pem")
            .ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not read matrix_key.pem from {volumePrefix}-storage-keys: {result.FirstErrorLine}");
        }

        return System.Text.Encoding.UTF8.GetBytes(result.StandardOutput);
    }
}
