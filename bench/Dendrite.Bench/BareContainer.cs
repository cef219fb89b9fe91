using System.Diagnostics;
using System.Text.Json;
using DendriteAspire.ConfigRenderer.Layout;
using DendriteAspire.Integration.Tests;

namespace DendriteAspire.Bench;

/// <summary>A mount of a container the AppHost started: a named volume or a bind mount.</summary>
internal sealed record Mount(string? VolumeName, string? Source, string Destination, bool ReadOnly);

/// <summary>
/// What the AppHost gave a container (image, entrypoint, command, environment, mounts), read with <c>inspect</c>, so the
/// same container can be started directly with the runtime for the baseline.
/// </summary>
internal sealed record ContainerSpec(string Image, IReadOnlyList<string> Entrypoint, IReadOnlyList<string> Command,
    IReadOnlyList<string> Environment, IReadOnlyList<Mount> Mounts)
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The id of the AppHost's container of the given kind that mounts <paramref name="volume"/>.</summary>
    public static async Task<string?> FindAsync(ContainerRuntime runtime, string volume, bool keygen, CancellationToken cancellationToken)
    {
        var listed = await runtime.RunAsync(CommandTimeout, cancellationToken,
            "ps", "-a", "--filter", $"volume={volume}", "--format", "{{.ID}} {{.Names}}").ConfigureAwait(false);
        return listed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ', 2))
            .Where(parts => parts.Length == 2 && parts[1].Contains("keygen", StringComparison.Ordinal) == keygen)
            .Select(parts => parts[0])
            .FirstOrDefault();
    }

    public static async Task<ContainerSpec> InspectAsync(ContainerRuntime runtime, string id, CancellationToken cancellationToken)
    {
        var inspected = await runtime.RunAsync(CommandTimeout, cancellationToken, "inspect", id).ConfigureAwait(false);
        if (!inspected.Succeeded)
        {
            throw new InvalidOperationException($"inspect {id}: {inspected.FirstErrorLine}");
        }

        using var document = JsonDocument.Parse(inspected.StandardOutput);
#pragma warning disable CA1507 // "Mounts" and "Image" are the runtime's inspect fields, not this record's members.
        var container = document.RootElement[0];
        var config = container.GetProperty("Config");
        var mounts = container.GetProperty("Mounts").EnumerateArray().Select(m => new Mount(
            m.GetProperty("Type").GetString() == "volume" ? m.GetProperty("Name").GetString() : null,
            m.GetProperty("Source").GetString(),
            m.GetProperty("Destination").GetString()!,
            !m.GetProperty("RW").GetBoolean())).ToList();
        return new ContainerSpec(config.GetProperty("Image").GetString()!, Strings(config, "Entrypoint"), Strings(config, "Cmd"),
            Strings(config, "Env"), mounts);
#pragma warning restore CA1507
    }

    /// <summary>
    /// Starts the same container directly (<c>run -d</c>), with the AppHost's volumes renamed from
    /// <paramref name="fromPrefix"/> to <paramref name="toPrefix"/> and the copied config bind-mounted read-only.
    /// Anonymous volumes (the image's own <c>VOLUME</c> declarations) are left to the runtime.
    /// </summary>
    public async Task<string> RunDetachedAsync(ContainerRuntime runtime, string name, string fromPrefix, string toPrefix,
        string? configFile, int? hostPort, CancellationToken cancellationToken)
    {
        List<string> arguments = ["run", "-d", "--name", name];
        if (hostPort is { } port)
        {
            arguments.AddRange(["-p", $"127.0.0.1:{port}:8008"]);
        }

        foreach (var mount in Mounts)
        {
            var suffix = mount.ReadOnly ? ":ro" : "";
            if (mount.VolumeName is { } volume && volume.StartsWith(fromPrefix, StringComparison.Ordinal))
            {
                arguments.AddRange(["-v", $"{toPrefix}{volume[fromPrefix.Length..]}:{mount.Destination}{suffix}"]);
            }
            else if (mount.VolumeName is null && mount.Source is { } source && !mount.Destination.StartsWith(DendritePaths.ConfigDirectory, StringComparison.Ordinal))
            {
                arguments.AddRange(["-v", $"{source}:{mount.Destination}{suffix}"]);
            }
        }

        if (configFile is not null)
        {
            arguments.AddRange(["-v", $"{configFile}:{DendritePaths.ConfigFile}:ro"]);
        }

        foreach (var variable in Environment)
        {
            arguments.AddRange(["-e", variable]);
        }

        if (Entrypoint.Count > 0)
        {
            arguments.AddRange(["--entrypoint", Entrypoint[0]]);
        }

        arguments.Add(Image);
        arguments.AddRange(Entrypoint.Skip(1));
        arguments.AddRange(Command);
        var started = await runtime.RunAsync(CommandTimeout, cancellationToken, [.. arguments]).ConfigureAwait(false);
        return started.Succeeded ? started.StandardOutput.Trim() : throw new InvalidOperationException($"run {name}: {started.FirstErrorLine}");
    }

    /// <summary>
    /// When the first container mounting <paramref name="volume"/> (the key step's or Dendrite's) was created: the
    /// moment DCP, up and given the model, starts acting on it. Containers created before <paramref name="notBefore"/>
    /// (an earlier start's, not yet removed) do not count. Null when there is none.
    /// </summary>
    public static async Task<DateTimeOffset?> FirstCreatedAsync(ContainerRuntime runtime, string volume, DateTimeOffset notBefore,
        CancellationToken cancellationToken)
    {
        var listed = await runtime.RunAsync(CommandTimeout, cancellationToken, "ps", "-a", "-q", "--filter", $"volume={volume}").ConfigureAwait(false);
        DateTimeOffset? first = null;
        foreach (var id in listed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // podman's Created is a time, Docker's a string; both print as an RFC 3339 JSON string.
            var created = await runtime.RunAsync(CommandTimeout, cancellationToken, "inspect", "--format", "{{json .Created}}", id).ConfigureAwait(false);
            if (created.Succeeded && JsonSerializer.Deserialize<DateTimeOffset?>(created.StandardOutput.Trim()) is { } time
                && time >= notBefore && (first is null || time < first))
            {
                first = time;
            }
        }

        return first;
    }

    /// <summary>Waits for a run-to-completion container (keygen) to exit; true when it exited 0.</summary>
    public static async Task<bool> WaitAsync(ContainerRuntime runtime, string id, CancellationToken cancellationToken)
    {
        var waited = await runtime.RunAsync(CommandTimeout, cancellationToken, "wait", id).ConfigureAwait(false);
        return waited.Succeeded && waited.StandardOutput.Trim() == "0";
    }

    /// <summary>The host port the container's 8008 is published on (the direct path, around any proxy).</summary>
    public static async Task<int?> HostPortAsync(ContainerRuntime runtime, string id, CancellationToken cancellationToken)
    {
        var port = await runtime.RunAsync(CommandTimeout, cancellationToken, "port", id, "8008/tcp").ConfigureAwait(false);
        var first = port.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return first is not null && int.TryParse(first[(first.LastIndexOf(':') + 1)..], out var value) ? value : null;
    }

    public static async Task RemoveAsync(ContainerRuntime runtime, IEnumerable<string> ids)
    {
        var list = ids.ToList();
        if (list.Count > 0)
        {
            using var timeout = new CancellationTokenSource(CommandTimeout);
            await runtime.RunAsync(CommandTimeout, timeout.Token, ["rm", "-f", .. list]).ConfigureAwait(false);
        }
    }

    /// <summary>Times a bare start: optional keygen to completion, then Dendrite until versions answers.</summary>
    public static async Task<(TimeSpan? Elapsed, List<string> Containers)> TimeStartAsync(ContainerRuntime runtime,
        ContainerSpec dendrite, ContainerSpec? keygen, string fromPrefix, string toPrefix, string configFile, string nameSuffix,
        CancellationToken cancellationToken)
    {
        var containers = new List<string>();
        var port = LocalPorts.Free();
        var clock = Stopwatch.StartNew();
        if (keygen is not null)
        {
            var keygenId = await keygen.RunDetachedAsync(runtime, $"{toPrefix}-keygen-{nameSuffix}", fromPrefix, toPrefix, null, null, cancellationToken)
                .ConfigureAwait(false);
            containers.Add(keygenId);
            if (!await WaitAsync(runtime, keygenId, cancellationToken).ConfigureAwait(false))
            {
                return (null, containers);
            }
        }

        var id = await dendrite.RunDetachedAsync(runtime, $"{toPrefix}-dendrite-{nameSuffix}", fromPrefix, toPrefix, configFile, port, cancellationToken)
            .ConfigureAwait(false);
        containers.Add(id);
        var elapsed = await LocalPorts.WaitForVersionsAsync(new Uri($"http://127.0.0.1:{port}"), clock, TimeSpan.FromMinutes(5), () => false,
            cancellationToken).ConfigureAwait(false);
        return (elapsed, containers);
    }

    private static List<string> Strings(JsonElement config, string property) =>
        !config.TryGetProperty(property, out var value) ? [] : value.ValueKind switch
        {
            JsonValueKind.Array => value.EnumerateArray().Select(v => v.GetString()!).ToList(),
            JsonValueKind.String when !string.IsNullOrEmpty(value.GetString()) => [value.GetString()!],
            _ => [],
        };
}
