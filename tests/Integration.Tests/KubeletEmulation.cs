using System.Globalization;
using k8s.Models;

namespace DendriteAspire.Integration.Tests;

/// <summary>
/// Runs a published pod spec with a container runtime the way a kubelet would, built from the typed
/// <see cref="V1PodSpec"/>: each claim and <c>emptyDir</c> is a fresh volume whose root the pod's <c>fsGroup</c> owns
/// (group-writable, setgid, as the kubelet makes it), each Secret volume is a directory of read-only files with the
/// volume's mode owned by root and the <c>fsGroup</c>, init containers run in order and must exit 0, and every
/// container gets the security context: user and group, <c>fsGroup</c> as a supplementary group, read-only root
/// (without the tmpfs podman would add), dropped capabilities and no privilege escalation. Containers join one network
/// under the names of the Services that select them. Everything it creates carries its unique prefix and is removed
/// on dispose.
/// </summary>
public sealed class KubeletEmulation(ContainerRuntime runtime, string prefix) : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(3);
    private readonly List<string> _containers = [];
    private readonly List<string> _volumes = [];
    private readonly List<string> _directories = [];
    private readonly Dictionary<string, string> _claims = new(StringComparer.Ordinal);
    private bool _networkCreated;
    private int _starts;

    public string Network => $"{prefix}-net";

    /// <summary>Host ports of the started main containers, by container name and container port.</summary>
    public Dictionary<(string Container, int Port), int> HostPorts { get; } = [];

    /// <summary>The runtime volume backing a claim of the workload (the same claim for every start of the pod).</summary>
    public string ClaimVolume(string workload, string claim) => $"{prefix}-{workload}-{claim}";

    public string ContainerName(string container) => $"{prefix}-{container}";

    /// <summary>
    /// Starts the pod of <paramref name="workload"/>: its init containers to completion, then its main containers,
    /// detached, reachable by <paramref name="serviceNames"/> on the network.
    /// </summary>
    public async Task StartAsync(V1StatefulSet workload, IReadOnlyDictionary<string, IDictionary<string, string>> secrets, IReadOnlyList<string> serviceNames, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(secrets);
        var name = workload.Metadata.Name;
        var pod = workload.Spec.Template.Spec;
        var context = pod.SecurityContext ?? new V1PodSecurityContext();
        await EnsureNetworkAsync(cancellationToken).ConfigureAwait(false);

        var volumes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var claim in workload.Spec.VolumeClaimTemplates ?? [])
        {
            volumes[claim.Metadata.Name] = await VolumeAsync(ClaimVolume(name, claim.Metadata.Name), pod, context, cancellationToken).ConfigureAwait(false);
            _claims[$"{claim.Metadata.Name}-{name}-0"] = volumes[claim.Metadata.Name]; // the claim a StatefulSet's pod 0 gets
        }

        foreach (var volume in pod.Volumes ?? [])
        {
            volumes[volume.Name] = volume switch
            {
                { EmptyDir: not null } => await VolumeAsync($"{prefix}-{name}-{volume.Name}-{++_starts}", pod, context, cancellationToken).ConfigureAwait(false),
                { Secret: { } secret } => SecretDirectory(secret, secrets, context),
                _ => throw new NotSupportedException($"volume {volume.Name} of {name} is neither a claim, an emptyDir nor a Secret"),
            };
        }

        foreach (var init in pod.InitContainers ?? [])
        {
            var result = await runtime.RunAsync(CommandTimeout, cancellationToken,
                ["run", "--rm", "--name", ContainerName(init.Name), .. RunArguments(init, pod, volumes, secrets, aliases: [])]).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException(
                    $"init container {init.Name} of {name} exited {result.ExitCode}:\n{Tail(result.StandardOutput + result.StandardError)}");
            }
        }

        foreach (var container in pod.Containers)
        {
            var containerName = ContainerName(container.Name);
            var ports = (container.Ports ?? []).SelectMany(p => new[] { "-p", $"127.0.0.1::{p.ContainerPort}" }).ToArray();
            _containers.Add(containerName);
            var result = await runtime.RunAsync(CommandTimeout, cancellationToken,
                ["run", "-d", "--name", containerName, .. ports, .. RunArguments(container, pod, volumes, secrets, serviceNames)]).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"container {container.Name} of {name} did not start: {result.FirstErrorLine}");
            }

            foreach (var port in container.Ports ?? [])
            {
                var mapped = await runtime.RunAsync(TimeSpan.FromSeconds(30), cancellationToken, "port", containerName, $"{port.ContainerPort}/tcp").ConfigureAwait(false);
                var hostPort = mapped.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)[0].Trim().Split(':')[^1];
                HostPorts[(container.Name, port.ContainerPort)] = int.Parse(hostPort, CultureInfo.InvariantCulture);
            }
        }
    }

    /// <summary>
    /// Runs the pod of a Job (or of a CronJob's job template) to completion, as the kubelet would: a claim a StatefulSet
    /// started here owns (<c>&lt;template&gt;-&lt;set&gt;-0</c>) is that volume, any other claim a volume of its own that
    /// outlives the run, emptyDirs fresh. Returns the exit code and the log of each container, in order.
    /// </summary>
    public async Task<(int ExitCode, string Log)> RunToCompletionAsync(string name, V1PodSpec pod, IReadOnlyDictionary<string, IDictionary<string, string>> secrets,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(secrets);
        var context = pod.SecurityContext ?? new V1PodSecurityContext();
        await EnsureNetworkAsync(cancellationToken).ConfigureAwait(false);
        var volumes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var volume in pod.Volumes ?? [])
        {
            volumes[volume.Name] = volume switch
            {
                { PersistentVolumeClaim: { } claim } when _claims.TryGetValue(claim.ClaimName, out var existing) => existing,
                { PersistentVolumeClaim: { } claim } => _claims[claim.ClaimName] = await VolumeAsync($"{prefix}-claim-{claim.ClaimName}", pod, context, cancellationToken).ConfigureAwait(false),
                { EmptyDir: not null } => await VolumeAsync($"{prefix}-{name}-{volume.Name}-{++_starts}", pod, context, cancellationToken).ConfigureAwait(false),
                { Secret: { } secret } => SecretDirectory(secret, secrets, context),
                _ => throw new NotSupportedException($"volume {volume.Name} of {name} is neither a claim, an emptyDir nor a Secret"),
            };
        }

        var log = new System.Text.StringBuilder();
        foreach (var container in (pod.InitContainers ?? []).Concat(pod.Containers))
        {
            var result = await runtime.RunAsync(TimeSpan.FromMinutes(20), cancellationToken,
                ["run", "--rm", "--name", ContainerName($"{name}-{container.Name}"), .. RunArguments(container, pod, volumes, secrets, aliases: [])]).ConfigureAwait(false);
            log.Append(result.StandardOutput).Append(result.StandardError);
            if (!result.Succeeded)
            {
                return (result.ExitCode, log.ToString());
            }
        }

        return (0, log.ToString());
    }

    /// <summary>The runtime volume behind a claim name a pod mounted (<c>media-dendrite-0</c>, <c>dendrite-backups</c>).</summary>
    public string VolumeOfClaim(string claimName) => _claims[claimName];

    /// <summary>
    /// Waits until the container passes its start-up probe, then its readiness probe, as the kubelet would check
    /// them: HTTP probes on the container's port, exec probes inside the container.
    /// </summary>
    public async Task WaitReadyAsync(V1Container container, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
        foreach (var (kind, probe) in new[] { ("startup", container.StartupProbe), ("readiness", container.ReadinessProbe) })
        {
            if (probe is null)
            {
                continue;
            }

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            string last = "not checked yet";
            try
            {
                while (true)
                {
                    (var passed, last) = await CheckAsync(container, probe, deadline.Token).ConfigureAwait(false);
                    if (passed)
                    {
                        break;
                    }

                    await Task.Delay(TimeSpan.FromSeconds(1), deadline.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException(
                    $"{container.Name} did not pass its {kind} probe within {timeout.TotalSeconds:0} s (last: {last}); its log ends:\n{await LogTailAsync(container.Name).ConfigureAwait(false)}");
            }
        }
    }

    public async Task<string> LogTailAsync(string container)
    {
        var logs = await runtime.RunAsync(TimeSpan.FromSeconds(30), CancellationToken.None, "logs", "--tail", "40", ContainerName(container)).ConfigureAwait(false);
        return Tail(logs.StandardOutput + logs.StandardError);
    }

    /// <summary>Stops and removes the pod's main containers; its claims stay, as a StatefulSet's do.</summary>
    public async Task StopAsync(V1StatefulSet workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        foreach (var container in workload.Spec.Template.Spec.Containers)
        {
            await RemoveContainerAsync(ContainerName(container.Name), graceSeconds: 10).ConfigureAwait(false);
            _containers.Remove(ContainerName(container.Name));
        }
    }

    /// <summary>As the kubelet ends a pod: SIGTERM, the grace period, then gone (<c>rm -t</c> is podman's alone, so stop, then rm).</summary>
    private async Task RemoveContainerAsync(string container, int graceSeconds)
    {
        await runtime.RunAsync(CommandTimeout, CancellationToken.None, "stop", "-t", graceSeconds.ToString(CultureInfo.InvariantCulture), container)
            .ConfigureAwait(false);
        var removed = await runtime.RunAsync(CommandTimeout, CancellationToken.None, "rm", "-f", container).ConfigureAwait(false);
        if (!removed.Succeeded && !removed.FirstErrorLine.Contains("no such container", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"could not remove container {container}: {removed.FirstErrorLine}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var container in _containers)
        {
            await RemoveContainerAsync(container, graceSeconds: 5).ConfigureAwait(false);
        }

        if (_volumes.Count > 0)
        {
            await runtime.RemoveVolumesAsync(_volumes, CancellationToken.None).ConfigureAwait(false);
        }

        if (_networkCreated)
        {
            await runtime.RunAsync(CommandTimeout, CancellationToken.None, "network", "rm", "-f", Network).ConfigureAwait(false);
        }

        foreach (var directory in _directories.Where(Directory.Exists))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private List<string> RunArguments(V1Container container, V1PodSpec pod, Dictionary<string, string> volumes, IReadOnlyDictionary<string, IDictionary<string, string>> secrets, IReadOnlyList<string> aliases)
    {
        var podContext = pod.SecurityContext ?? new V1PodSecurityContext();
        var context = container.SecurityContext ?? new V1SecurityContext();
        var arguments = new List<string> { "--network", Network };
        foreach (var alias in aliases)
        {
            arguments.AddRange(["--network-alias", alias]);
        }

        var user = context.RunAsUser ?? podContext.RunAsUser;
        var group = context.RunAsGroup ?? podContext.RunAsGroup;
        if (user is not null)
        {
            arguments.AddRange(["--user", group is null ? $"{user}" : $"{user}:{group}"]);
        }

        foreach (var supplementary in new[] { podContext.FsGroup }.Concat((podContext.SupplementalGroups ?? []).Select(g => (long?)g)).OfType<long>().Distinct())
        {
            arguments.AddRange(["--group-add", supplementary.ToString(CultureInfo.InvariantCulture)]);
        }

        if (context.ReadOnlyRootFilesystem == true)
        {
            arguments.Add("--read-only");
            if (runtime.Name == "podman")
            {
                arguments.Add("--read-only-tmpfs=false"); // a kubelet adds no writable /tmp, /run or /var/tmp
            }
        }

        foreach (var drop in context.Capabilities?.Drop ?? [])
        {
            arguments.Add($"--cap-drop={drop}");
        }

        foreach (var add in context.Capabilities?.Add ?? [])
        {
            arguments.Add($"--cap-add={add}");
        }

        if (context.AllowPrivilegeEscalation == false)
        {
            arguments.AddRange(["--security-opt", "no-new-privileges"]);
        }

        if ((context.SeccompProfile?.Type ?? podContext.SeccompProfile?.Type) is not ("RuntimeDefault" or null))
        {
            throw new NotSupportedException($"seccomp profile {context.SeccompProfile?.Type ?? podContext.SeccompProfile?.Type} is not emulated");
        }

        foreach (var variable in container.Env ?? [])
        {
            var value = variable.Value
                ?? (variable.ValueFrom?.SecretKeyRef is { } reference ? secrets[reference.Name][reference.Key] : throw new NotSupportedException($"env {variable.Name} has an unsupported source"));
            arguments.AddRange(["-e", $"{variable.Name}={value}"]);
        }

        foreach (var mount in container.VolumeMounts ?? [])
        {
            arguments.AddRange(["-v", $"{volumes[mount.Name]}:{mount.MountPath}{(mount.ReadOnlyProperty == true ? ":ro" : "")}"]);
        }

        // Kubernetes' command replaces the image's entrypoint. Docker's --entrypoint takes one executable (podman also
        // takes a JSON array); the rest of the command goes before the args, which is what the kubelet runs.
        var command = container.Command ?? [];
        if (command.Count > 0)
        {
            arguments.AddRange(["--entrypoint", command[0]]);
        }

        arguments.Add(container.Image);
        arguments.AddRange(command.Skip(1));
        arguments.AddRange(container.Args ?? []);
        return arguments;
    }

    /// <summary>A fresh volume whose root belongs to the fsGroup, group-writable and setgid, as the kubelet leaves it.</summary>
    private async Task<string> VolumeAsync(string volume, V1PodSpec pod, V1PodSecurityContext context, CancellationToken cancellationToken)
    {
        if (_volumes.Contains(volume))
        {
            return volume; // a claim outlives the pod: a second start of the same workload finds it as it was
        }

        var created = await runtime.RunAsync(CommandTimeout, cancellationToken, "volume", "create", volume).ConfigureAwait(false);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException($"could not create volume {volume}: {created.FirstErrorLine}");
        }

        _volumes.Add(volume);
        if (context.FsGroup is { } fsGroup)
        {
            var chown = await runtime.RunAsync(CommandTimeout, cancellationToken,
                "run", "--rm", "--user", "0:0", "--entrypoint", "/bin/sh", "-v", $"{volume}:/volume", pod.Containers[0].Image,
                "-c", $"chgrp {fsGroup} /volume && chmod 2775 /volume").ConfigureAwait(false);
            if (!chown.Succeeded)
            {
                throw new InvalidOperationException($"could not apply fsGroup {fsGroup} to {volume}: {chown.FirstErrorLine}");
            }
        }

        return volume;
    }

    private string SecretDirectory(V1SecretVolumeSource source, IReadOnlyDictionary<string, IDictionary<string, string>> secrets, V1PodSecurityContext context)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Secret files with a Unix mode need a Unix host.");
        }

        var directory = Directory.CreateTempSubdirectory($"{prefix}-secret-").FullName;
        _directories.Add(directory);
        File.SetUnixFileMode(directory, (UnixFileMode)Convert.ToInt32("755", 8));
        var data = secrets[source.SecretName];
        var items = source.Items ?? [.. data.Keys.Select(k => new V1KeyToPath { Key = k, Path = k })];
        foreach (var item in items)
        {
            var path = Path.Combine(directory, item.Path);
            File.WriteAllText(path, data[item.Key]);
            File.SetUnixFileMode(path, (UnixFileMode)(item.Mode ?? source.DefaultMode ?? Convert.ToInt32("644", 8)));
            if (context.FsGroup is { } fsGroup)
            {
                Chown(path, 0, fsGroup);
            }
        }

        return directory;
    }

    private static void Chown(string path, long user, long group)
    {
        var start = new System.Diagnostics.ProcessStartInfo("chown") { RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add($"{user}:{group}");
        start.ArgumentList.Add(path);
        using var chown = System.Diagnostics.Process.Start(start)!;
        var error = chown.StandardError.ReadToEnd();
        chown.WaitForExit();
        if (chown.ExitCode != 0)
        {
            throw new InvalidOperationException($"chown {user}:{group} {path} failed: {error.Trim()} (the kubelet emulation needs root, as rootful podman does)");
        }
    }

    private async Task EnsureNetworkAsync(CancellationToken cancellationToken)
    {
        if (_networkCreated)
        {
            return;
        }

        var created = await runtime.RunAsync(CommandTimeout, cancellationToken, "network", "create", Network).ConfigureAwait(false);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException($"could not create network {Network}: {created.FirstErrorLine}");
        }

        _networkCreated = true;
    }

    private async Task<(bool Passed, string Detail)> CheckAsync(V1Container container, V1Probe probe, CancellationToken cancellationToken)
    {
        if (probe.HttpGet is { } http)
        {
            var port = (container.Ports ?? []).Single(p => p.Name == http.Port.Value || p.ContainerPort.ToString(CultureInfo.InvariantCulture) == http.Port.Value).ContainerPort;
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(probe.TimeoutSeconds ?? 1) };
            try
            {
                using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{HostPorts[(container.Name, port)]}{http.Path}"), cancellationToken).ConfigureAwait(false);
                return ((int)response.StatusCode is >= 200 and < 400, $"GET {http.Path} answered {(int)response.StatusCode}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                return (false, $"GET {http.Path}: {e.Message}");
            }
        }

        if (probe.Exec is { } exec)
        {
            var result = await runtime.RunAsync(TimeSpan.FromSeconds((probe.TimeoutSeconds ?? 1) + 10), cancellationToken,
                ["exec", ContainerName(container.Name), .. exec.Command]).ConfigureAwait(false);
            return (result.Succeeded, $"{string.Join(' ', exec.Command)} exited {result.ExitCode}: {result.FirstErrorLine}");
        }

        throw new NotSupportedException($"probe of {container.Name} is neither httpGet nor exec");
    }

    private static string Tail(string text) =>
        string.Join('\n', text.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(40));

}
