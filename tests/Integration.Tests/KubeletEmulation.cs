using System.Globalization;
using k8s.Models;

namespace DendriteAspire.Integration.Tests;

/// <summary>
/// Runs a published pod spec with a container runtime the way a kubelet would, built from the typed
/// <see cref="V1PodSpec"/>: each claim and <c>emptyDir</c> is a fresh volume whose root the pod's <c>fsGroup</c> owns
/// (group-writable, setgid, as the kubelet makes it; never filled from the image), each Secret volume is a directory of
/// read-only files with the volume's mode owned by root and the <c>fsGroup</c>, init containers run in order and must
/// exit 0, and every container gets the security context: user and group, <c>fsGroup</c> as a supplementary group,
/// read-only root (without the tmpfs podman would add), dropped capabilities and no privilege escalation. ConfigMap
/// volumes are directories of read-only files like Secrets, <c>subPath</c> mounts mount one of their files, and a
/// Deployment's claims are volumes named after the claim. Containers join one network under the names of the Services
/// that select them; a Service whose port differs from its target port (Dendrite's 80 to 8008) is an nginx HTTP proxy
/// from the Element Web image under the Service's name, as kube-proxy would forward it. Jobs run to completion.
/// Everything it creates carries its unique prefix and is removed on dispose.
/// </summary>
public sealed class KubeletEmulation(ContainerRuntime runtime, string prefix) : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(3);
    private readonly List<string> _containers = [];
    private readonly List<string> _volumes = [];
    private readonly List<string> _directories = [];
    private readonly Dictionary<string, List<string>> _proxies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _claims = new(StringComparer.Ordinal);
    private bool _networkCreated;
    private int _starts;

    public string Network => $"{prefix}-net";

    /// <summary>Host ports of the started main containers, by container name and container port.</summary>
    public Dictionary<(string Container, int Port), int> HostPorts { get; } = [];

    /// <summary>Host ports of the Services, by Service name and Service port: what a port-forward to the Service gives.</summary>
    public Dictionary<(string Service, int Port), int> ServiceHostPorts { get; } = [];

    /// <summary>The URL of a Service's port from the host, as <c>kubectl port-forward svc/&lt;service&gt;</c> would give it.</summary>
    public Uri ServiceUrl(string service, int port = 80) =>
        new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{ServiceHostPorts[(service, port)]}/"));

    /// <summary>The runtime volume backing a claim of the workload (the same claim for every start of the pod).</summary>
    public string ClaimVolume(string workload, string claim) => $"{prefix}-{workload}-{claim}";

    public string ContainerName(string container) => $"{prefix}-{container}";

    /// <summary>
    /// Starts the pod of a StatefulSet: its init containers to completion, then its main containers, detached, reachable
    /// by the Services that select it. Its claims (one volume each) outlive the pod.
    /// </summary>
    public Task StartAsync(V1StatefulSet workload, PublishedCluster cluster, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workload);
        return StartPodAsync(workload.Metadata.Name, workload.Spec.Template, [.. (workload.Spec.VolumeClaimTemplates ?? []).Select(c => c.Metadata.Name)], cluster, cancellationToken);
    }

    /// <summary>Starts the pod of a Deployment, as for a StatefulSet; its claims are the standalone ones it names.</summary>
    public Task StartAsync(V1Deployment workload, PublishedCluster cluster, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workload);
        return StartPodAsync(workload.Metadata.Name, workload.Spec.Template, [], cluster, cancellationToken);
    }

    /// <summary>
    /// Runs the pod of a Job to completion (init containers, then its container); returns the container's output, or
    /// throws with it when the container exits non-zero.
    /// </summary>
    public async Task<string> RunJobAsync(V1Job job, PublishedCluster cluster, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(cluster);
        var name = job.Metadata.Name;
        var pod = job.Spec.Template.Spec;
        var volumes = await PreparePodAsync(name, pod, [], cluster, cancellationToken).ConfigureAwait(false);
        var output = new System.Text.StringBuilder();
        foreach (var container in pod.Containers)
        {
            var result = await runtime.RunAsync(CommandTimeout, cancellationToken,
                ["run", "--rm", "--name", ContainerName(container.Name), .. RunArguments(container, pod, volumes, cluster, aliases: [])]).ConfigureAwait(false);
            output.Append(result.StandardOutput).Append(result.StandardError);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"container {container.Name} of job {name} exited {result.ExitCode}:\n{Tail(output.ToString())}");
            }
        }

        return output.ToString();
    }

    /// <summary>
    /// Runs a pod (a Job's, or a CronJob's job template) to completion, as the kubelet would, without throwing: a claim a
    /// StatefulSet started here owns (<c>&lt;template&gt;-&lt;set&gt;-0</c>) is that volume, any other claim a volume of
    /// its own that outlives the run, emptyDirs fresh. Returns the first non-zero exit code (or 0) and every container's
    /// log, in order.
    /// </summary>
    public async Task<(int ExitCode, string Log)> RunToCompletionAsync(string name, V1PodSpec pod, PublishedCluster cluster, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(cluster);
        var main = new V1PodSpec
        {
            Containers = pod.Containers, Volumes = pod.Volumes, SecurityContext = pod.SecurityContext, Affinity = pod.Affinity,
        };
        var volumes = await PreparePodAsync(name, main, [], cluster, cancellationToken).ConfigureAwait(false);
        var log = new System.Text.StringBuilder();
        foreach (var container in (pod.InitContainers ?? []).Concat(pod.Containers))
        {
            var result = await runtime.RunAsync(TimeSpan.FromMinutes(20), cancellationToken,
                ["run", "--rm", "--name", ContainerName($"{name}-{container.Name}"), .. RunArguments(container, pod, volumes, cluster, aliases: [])]).ConfigureAwait(false);
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

    private async Task StartPodAsync(string name, V1PodTemplateSpec template, IReadOnlyList<string> claims, PublishedCluster cluster, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var pod = template.Spec;
        var volumes = await PreparePodAsync(name, pod, claims, cluster, cancellationToken).ConfigureAwait(false);
        var services = cluster.ServicesFor(template);
        var proxied = services.Where(s => s.Spec.Ports.Any(p => p.Port != TargetPort(s, p, pod).Port)).ToList();
        string[] aliases = [.. services.Except(proxied).Select(s => s.Metadata.Name)];

        foreach (var container in pod.Containers)
        {
            var containerName = ContainerName(container.Name);
            var ports = (container.Ports ?? []).SelectMany(p => new[] { "-p", $"127.0.0.1::{p.ContainerPort}" }).ToArray();
            _containers.Add(containerName);
            var result = await runtime.RunAsync(CommandTimeout, cancellationToken,
                ["run", "-d", "--name", containerName, .. ports, .. RunArguments(container, pod, volumes, cluster, aliases)]).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"container {container.Name} of {name} did not start: {result.FirstErrorLine}");
            }

            foreach (var port in container.Ports ?? [])
            {
                HostPorts[(container.Name, port.ContainerPort)] = await HostPortAsync(containerName, port.ContainerPort, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException(
                        $"container {container.Name} of {name} has no host port for {port.ContainerPort} (state {await StateAsync(containerName).ConfigureAwait(false)}); its log ends:\n{await LogTailAsync(container.Name).ConfigureAwait(false)}");
            }
        }

        foreach (var service in services.Except(proxied))
        {
            foreach (var port in service.Spec.Ports)
            {
                ServiceHostPorts[(service.Metadata.Name, port.Port)] = HostPorts[TargetPort(service, port, pod)];
            }
        }

        _proxies[name] = [];
        foreach (var service in proxied)
        {
            _proxies[name].Add(await StartServiceProxyAsync(service, pod, cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>The pod's volumes (claims, emptyDirs, Secret and ConfigMap files), then its init containers run in order, each to exit 0.</summary>
    private async Task<Dictionary<string, string>> PreparePodAsync(string name, V1PodSpec pod, IReadOnlyList<string> claims, PublishedCluster cluster, CancellationToken cancellationToken)
    {
        var context = pod.SecurityContext ?? new V1PodSecurityContext();
        await EnsureNetworkAsync(cancellationToken).ConfigureAwait(false);

        var volumes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var claim in claims)
        {
            volumes[claim] = await VolumeAsync(ClaimVolume(name, claim), pod, context, cancellationToken).ConfigureAwait(false);
            _claims[$"{claim}-{name}-0"] = volumes[claim]; // the claim a StatefulSet's pod 0 gets, which other pods can name
        }

        foreach (var volume in pod.Volumes ?? [])
        {
            volumes[volume.Name] = volume switch
            {
                { EmptyDir: not null } => await VolumeAsync($"{prefix}-{name}-{volume.Name}-{++_starts}", pod, context, cancellationToken).ConfigureAwait(false),
                { PersistentVolumeClaim: { } claim } when _claims.TryGetValue(claim.ClaimName, out var existing) => existing,
                { PersistentVolumeClaim: { } claim } => _claims[claim.ClaimName] = await VolumeAsync($"{prefix}-{claim.ClaimName}", pod, context, cancellationToken).ConfigureAwait(false),
                { Secret: { } secret } => FileDirectory(cluster.Secrets[secret.SecretName], secret.Items, secret.DefaultMode, context),
                { Projected: { } projected } => FileDirectory(projected.Sources.SelectMany(source => source.Secret is { } secret
                    ? Files(cluster.Secrets[secret.Name], secret.Items)
                    : throw new NotSupportedException($"a projected source of volume {volume.Name} of {name} is not a Secret")), projected.DefaultMode, context),
                { ConfigMap: { } configMap } => FileDirectory(cluster.ConfigMaps[configMap.Name], configMap.Items, configMap.DefaultMode, context),
                _ => throw new NotSupportedException($"volume {volume.Name} of {name} is neither a claim, an emptyDir, a Secret, a projected Secret nor a ConfigMap"),
            };
        }

        foreach (var init in pod.InitContainers ?? [])
        {
            var result = await runtime.RunAsync(CommandTimeout, cancellationToken,
                ["run", "--rm", "--name", ContainerName(init.Name), .. RunArguments(init, pod, volumes, cluster, aliases: [])]).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException(
                    $"init container {init.Name} of {name} exited {result.ExitCode}:\n{Tail(result.StandardOutput + result.StandardError)}");
            }
        }

        return volumes;
    }

    /// <summary>The container and container port a Service port sends to: a number, or the name of a container's port.</summary>
    private static (string Container, int Port) TargetPort(V1Service service, V1ServicePort port, V1PodSpec pod)
    {
        var target = port.TargetPort?.Value ?? port.Port.ToString(CultureInfo.InvariantCulture);
        var match = pod.Containers
            .SelectMany(c => (c.Ports ?? []).Select(p => (Container: c.Name, p.Name, p.ContainerPort)))
            .FirstOrDefault(p => p.Name == target || p.ContainerPort.ToString(CultureInfo.InvariantCulture) == target);
        return match.Container is null
            ? throw new InvalidOperationException($"Service {service.Metadata.Name} targets port {target}, which no container of the pod declares")
            : (match.Container, match.ContainerPort);
    }

    /// <summary>
    /// The Service as kube-proxy would give it: under the Service's name on the network, each Service port forwarded to
    /// its target port (HTTP only: every such Service here is), published on a host port for the test.
    /// </summary>
    private async Task<string> StartServiceProxyAsync(V1Service service, V1PodSpec pod, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory($"{prefix}-service-").FullName;
        _directories.Add(directory);
        var servers = service.Spec.Ports.Select(port =>
        {
            var (container, target) = TargetPort(service, port, pod);
            return string.Create(CultureInfo.InvariantCulture,
                $"  server {{ listen {port.Port}; location / {{ proxy_pass http://{ContainerName(container)}:{target}; proxy_set_header Host $http_host; }} }}");
        });
        var path = Path.Combine(directory, "nginx.conf");
        File.WriteAllText(path, $$"""
            worker_processes 1;
            pid /tmp/nginx.pid;
            error_log stderr;
            events {}
            http {
              access_log off;
              client_max_body_size 0;
              proxy_http_version 1.1;
              proxy_buffering off;
              proxy_read_timeout 300s;
            {{string.Join('\n', servers)}}
            }

            """);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, (UnixFileMode)Convert.ToInt32("755", 8));
            File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32("644", 8));
        }

        var name = ContainerName("service-" + service.Metadata.Name);
        _containers.Add(name);
        var result = await runtime.RunAsync(CommandTimeout, cancellationToken,
        [
            "run", "-d", "--name", name, "--network", Network, "--network-alias", service.Metadata.Name,
            .. service.Spec.Ports.SelectMany(p => new[] { "-p", string.Create(CultureInfo.InvariantCulture, $"127.0.0.1::{p.Port}") }),
            "-v", $"{directory}:/service:ro", "--entrypoint", "nginx", LiveEnvironment.ElementImage, "-c", "/service/nginx.conf", "-g", "daemon off;",
        ]).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"the proxy of Service {service.Metadata.Name} did not start: {result.FirstErrorLine}");
        }

        foreach (var port in service.Spec.Ports)
        {
            ServiceHostPorts[(service.Metadata.Name, port.Port)] = await HostPortAsync(name, port.Port, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"the proxy of Service {service.Metadata.Name} has no host port for {port.Port} (state {await StateAsync(name).ConfigureAwait(false)})");
        }

        return name;
    }

    /// <summary>The host port the runtime published a container port on; none when the container is no longer running.</summary>
    private async Task<int?> HostPortAsync(string container, int port, CancellationToken cancellationToken)
    {
        var mapped = await runtime.RunAsync(TimeSpan.FromSeconds(30), cancellationToken, "port", container, string.Create(CultureInfo.InvariantCulture, $"{port}/tcp")).ConfigureAwait(false);
        var first = mapped.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return first is null ? null : int.Parse(first.Trim().Split(':')[^1], CultureInfo.InvariantCulture);
    }

    private async Task<string> StateAsync(string container)
    {
        var state = await runtime.RunAsync(TimeSpan.FromSeconds(30), CancellationToken.None, "inspect", "--format", "{{.State.Status}}, exit code {{.State.ExitCode}}", container).ConfigureAwait(false);
        return state.Succeeded ? state.StandardOutput.Trim() : state.FirstErrorLine;
    }

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

    /// <summary>Stops and removes the pod's main containers (and its Services' proxies); its claims stay, as a StatefulSet's do.</summary>
    public Task StopAsync(V1StatefulSet workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        return StopPodAsync(workload.Metadata.Name, workload.Spec.Template.Spec);
    }

    /// <summary>A Deployment scaled to 0: its pod's containers (and proxies) go, its claims stay.</summary>
    public Task StopAsync(V1Deployment workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        return StopPodAsync(workload.Metadata.Name, workload.Spec.Template.Spec);
    }

    private async Task StopPodAsync(string name, V1PodSpec pod)
    {
        foreach (var container in pod.Containers.Select(c => ContainerName(c.Name)).Concat(_proxies.GetValueOrDefault(name) ?? []))
        {
            await RemoveContainerAsync(container, graceSeconds: 10).ConfigureAwait(false);
            _containers.Remove(container);
        }

        _proxies.Remove(name);
    }

    /// <summary>As the kubelet ends a pod: SIGTERM, the grace period, then gone (<c>rm -t</c> is podman's alone, so stop, then rm; <c>-v</c> takes the anonymous volume an image's <c>VOLUME</c> gave it, which a kubelet never makes).</summary>
    private async Task RemoveContainerAsync(string container, int graceSeconds)
    {
        await runtime.RunAsync(CommandTimeout, CancellationToken.None, "stop", "-t", graceSeconds.ToString(CultureInfo.InvariantCulture), container)
            .ConfigureAwait(false);
        var removed = await runtime.RunAsync(CommandTimeout, CancellationToken.None, "rm", "-f", "-v", container).ConfigureAwait(false);
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

    private List<string> RunArguments(V1Container container, V1PodSpec pod, Dictionary<string, string> volumes, PublishedCluster cluster, IReadOnlyList<string> aliases)
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
                ?? (variable.ValueFrom?.SecretKeyRef is { } secret ? cluster.Secrets[secret.Name][secret.Key]
                    : variable.ValueFrom?.ConfigMapKeyRef is { } configMap ? cluster.ConfigMaps[configMap.Name][configMap.Key]
                    : throw new NotSupportedException($"env {variable.Name} has an unsupported source"));
            arguments.AddRange(["-e", $"{variable.Name}={value}"]);
        }

        foreach (var mount in container.VolumeMounts ?? [])
        {
            var source = volumes[mount.Name];
            if (!string.IsNullOrEmpty(mount.SubPath))
            {
                source = Path.IsPathRooted(source) ? Path.Combine(source, mount.SubPath) : throw new NotSupportedException($"subPath {mount.SubPath} of volume {mount.Name} is not emulated");
            }

            // A claim read-only for the whole volume (persistentVolumeClaim.readOnly) is read-only in every mount.
            var readOnlyVolume = pod.Volumes?.Any(v => v.Name == mount.Name && v.PersistentVolumeClaim?.ReadOnlyProperty == true) == true;
            // A claim or emptyDir starts as the kubelet leaves it, never filled from the image's directory at its mount
            // path: Docker copies that directory's files and its owner into an empty named volume (nginx's root-owned
            // /var/cache/nginx over the fsGroup's), podman its files; nocopy stops both.
            var options = new List<string>();
            if (mount.ReadOnlyProperty == true || readOnlyVolume)
            {
                options.Add("ro");
            }

            if (!Path.IsPathRooted(source))
            {
                options.Add("nocopy");
            }

            arguments.AddRange(["-v", $"{source}:{mount.MountPath}{(options.Count > 0 ? ":" + string.Join(',', options) : "")}"]);
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

    /// <summary>A Secret's or ConfigMap's files as the kubelet projects them: the items (or every key), the mode, root and the fsGroup as owners.</summary>
    private string FileDirectory(IDictionary<string, string> data, IList<V1KeyToPath>? items, int? defaultMode, V1PodSecurityContext context) =>
        FileDirectory(Files(data, items), defaultMode, context);

    /// <summary>The items of a Secret or ConfigMap (or every key) as files: path, content, mode.</summary>
    private static IEnumerable<(string Path, string Content, int? Mode)> Files(IDictionary<string, string> data, IList<V1KeyToPath>? items) =>
        (items ?? [.. data.Keys.Select(k => new V1KeyToPath { Key = k, Path = k })]).Select(item => (item.Path, data[item.Key], item.Mode));

    /// <summary>Files (path, content, mode) in one directory, as a Secret, ConfigMap or projected volume gives them.</summary>
    private string FileDirectory(IEnumerable<(string Path, string Content, int? Mode)> files, int? defaultMode, V1PodSecurityContext context)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Secret files with a Unix mode need a Unix host.");
        }

        var directory = Directory.CreateTempSubdirectory($"{prefix}-secret-").FullName;
        _directories.Add(directory);
        File.SetUnixFileMode(directory, (UnixFileMode)Convert.ToInt32("755", 8));
        foreach (var (file, content, mode) in files)
        {
            var path = Path.Combine(directory, file);
            File.WriteAllText(path, content);
            File.SetUnixFileMode(path, (UnixFileMode)(mode ?? defaultMode ?? Convert.ToInt32("644", 8)));
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
