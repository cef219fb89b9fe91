using DendriteAspire.Hosting.Kubernetes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DendriteAspire.Hosting;

/// <summary>
/// Locally, Dendrite and its key step run as the same non-root user as on the cluster (<see cref="PodSecurity.UserOf"/>
/// of the Dendrite resource, set by <c>WithClusterUser</c>; uid and gid 1000): <c>--user uid:gid</c> on
/// <c>docker/podman run</c>, which both runtimes accept. Before them, the <see cref="DendriteVolumeOwnershipResource"/>
/// step (root, the same image) gives every Dendrite volume to that user, once: volumes made by an earlier version (which
/// ran Dendrite as root), a restore or the release guard hold root's files, which Dendrite could then not write.
/// Rootless runtimes already run the container's root as the person's own user, and a uid such as 1000 there is one of
/// their sub-ids, which they may lack: there Dendrite keeps running as root inside the user namespace, the ownership step
/// is not started, and the AppHost log says so.
/// </summary>
internal static partial class LocalDendriteUser
{
    /// <summary>Where the ownership step mounts each volume: Dendrite's own paths, so its log names them as Dendrite sees them.</summary>
    public static IReadOnlyList<string> Targets => [.. DendriteVolume.All.Select(v => v.Target)];

    /// <summary>
    /// The ownership step's script. Arguments: uid, gid, then the mounted volume paths. For each volume, it looks for
    /// one file or directory owned by another uid or gid and, only then, changes the whole volume (symbolic links
    /// themselves, never their targets); file modes stay as they are (the signing key keeps 0400). It uses only what
    /// the official Alpine-based image and a Debian one both have (busybox or coreutils).
    /// </summary>
    public const string Script = """
        set -eu
        uid=$1; gid=$2; shift 2
        now() { t=$(date +%s%N 2>/dev/null || true); case "$t" in ''|*[!0-9]*) echo $(( $(date +%s) * 1000 ));; *) echo $(( t / 1000000 ));; esac; }
        start=$(now); fixed=0; files=0
        for d in "$@"; do
          if [ -n "$(find "$d" \( ! -user "$uid" -o ! -group "$gid" \) | head -n 1)" ]; then
            n=$(( $(find "$d" \( ! -user "$uid" -o ! -group "$gid" \) | wc -l) ))
            chown -R -h "$uid:$gid" "$d"
            echo "Volume ownership: $d: $n files and directories given to $uid:$gid."
            fixed=$((fixed + 1)); files=$((files + n))
          fi
        done
        ms=$(( $(now) - start ))
        if [ "$fixed" -eq 0 ]; then
          echo "Volume ownership: nothing to change; every file on the $# volumes already belongs to $uid:$gid ($ms ms)."
        else
          echo "Volume ownership: changed $files files and directories on $fixed of $# volumes to $uid:$gid in $ms ms; it will not be needed again."
        fi
        sleep 1
        """;

    /// <summary>
    /// Run mode: adds the <c>&lt;name&gt;-volume-owner</c> step over every Dendrite volume, makes Dendrite run as its
    /// cluster user and wait for the step, and checks the runtime before anything starts (rootless: root, logged).
    /// </summary>
    public static void Add(IResourceBuilder<DendriteResource> dendrite, DendriteHostOptions host)
    {
        var builder = dendrite.ApplicationBuilder;
        if (!builder.ExecutionContext.IsRunMode || dendrite.Resource.VolumeOwnership is not null)
        {
            return;
        }

        var local = new LocalUserAnnotation();
        dendrite.WithAnnotation(local);
        var owner = builder.AddResource(new DendriteVolumeOwnershipResource($"{dendrite.Resource.Name}-volume-owner", dendrite.Resource))
            .WithImage(host.Image, host.ImageTag)
            .WithImageRegistry(host.Registry)
            .WithEntrypoint(SigningKeyGeneration.Shell)
            .WithArgs(context =>
            {
                var user = PodSecurity.UserOf(dendrite.Resource);
                context.Args.Add("-c");
                context.Args.Add(Script);
                context.Args.Add("volume-owner");
                context.Args.Add(user.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture));
                context.Args.Add(user.GroupId.ToString(System.Globalization.CultureInfo.InvariantCulture));
                foreach (var target in Targets)
                {
                    context.Args.Add(target);
                }
            });
        foreach (var volume in DendriteVolume.All)
        {
            owner.WithVolume(DendriteBuilderExtensions.VolumeName(host, volume), volume.Target);
        }

        DendriteBuilderExtensions.CoverImageVolume(owner);
        dendrite.Resource.VolumeOwnership = owner.Resource;
        dendrite.WithContainerRuntimeArgs(context => AddUserArgument(dendrite.Resource, context))
            .WaitForCompletion(owner);
        LinkKeyStep(dendrite);

        ContainerRuntimeCli.BeforeStart(builder, async (@event, runtime, cancellationToken) =>
        {
            var rootless = await RootlessAsync(runtime, cancellationToken).ConfigureAwait(false);
            if (RootReason(runtime, rootless) is not { } reason)
            {
                return;
            }

            local.RootReason = reason;
            SkipOwnershipStep(dendrite.Resource, owner.Resource);
            var user = PodSecurity.UserOf(dendrite.Resource);
            var logger = @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(LocalDendriteUser).FullName!);
            LogRunsAsRoot(logger, dendrite.Resource.Name, reason, $"{user.UserId}:{user.GroupId}");
            LogRunsAsRoot(@event.Services.GetRequiredService<ResourceLoggerService>().GetLogger(owner.Resource), dendrite.Resource.Name, reason,
                $"{user.UserId}:{user.GroupId}");
        });
    }

    /// <summary>The key step, when both it and the ownership step exist: it runs as Dendrite's user, after the ownership step.</summary>
    public static void LinkKeyStep(IResourceBuilder<DendriteResource> dendrite)
    {
        if (dendrite.Resource is not { KeyGeneration: { } keygen, VolumeOwnership: { } owner }
            || keygen.Annotations.OfType<WaitAnnotation>().Any(w => w.Resource == owner))
        {
            return;
        }

        var keygenBuilder = dendrite.ApplicationBuilder.CreateResourceBuilder(keygen);
        keygenBuilder.WithContainerRuntimeArgs(context => AddUserArgument(dendrite.Resource, context))
            .WaitForCompletion(dendrite.ApplicationBuilder.CreateResourceBuilder(owner));
    }

    /// <summary>The uid and gid Dendrite runs as locally; null when it runs as root (no persistent state, or a rootless runtime).</summary>
    public static ClusterUserAnnotation? Of(DendriteResource dendrite) =>
        dendrite.Annotations.OfType<LocalUserAnnotation>().LastOrDefault() is { RootReason: null } ? PodSecurity.UserOf(dendrite) : null;

    /// <summary>Why Dendrite cannot run as its cluster user on <paramref name="runtime"/>; null when it can (or it is not known to be rootless).</summary>
    public static string? RootReason(string runtime, bool? rootless) =>
        rootless == true ? $"{runtime} runs rootless (the container's root is your own user on this machine)" : null;

    private static void AddUserArgument(DendriteResource dendrite, ContainerRuntimeArgsCallbackContext context)
    {
        if (Of(dendrite) is { } user)
        {
            context.Args.Add("--user");
            context.Args.Add($"{user.UserId}:{user.GroupId}");
        }
    }

    /// <summary>Nothing waits for the ownership step and it is not started.</summary>
    private static void SkipOwnershipStep(DendriteResource dendrite, DendriteVolumeOwnershipResource owner)
    {
        foreach (var resource in new IResource?[] { dendrite, dendrite.KeyGeneration }.OfType<IResource>())
        {
            foreach (var wait in resource.Annotations.OfType<WaitAnnotation>().Where(w => w.Resource == owner).ToList())
            {
                resource.Annotations.Remove(wait);
            }
        }

        if (!owner.Annotations.OfType<ExplicitStartupAnnotation>().Any())
        {
            owner.Annotations.Add(new ExplicitStartupAnnotation());
        }
    }

    /// <summary>
    /// Whether the runtime runs rootless: <c>podman info --format {{.Host.Security.Rootless}}</c>, or Docker's
    /// <c>name=rootless</c> security option; null when it cannot be told.
    /// </summary>
    private static async Task<bool?> RootlessAsync(string runtime, CancellationToken cancellationToken)
    {
        var output = runtime == "podman"
            ? await ContainerRuntimeCli.OutputAsync(runtime, ["info", "--format", "{{.Host.Security.Rootless}}"], cancellationToken).ConfigureAwait(false)
            : await ContainerRuntimeCli.OutputAsync(runtime, ["info", "--format", "{{json .SecurityOptions}}"], cancellationToken).ConfigureAwait(false);
        return output is null ? null
            : runtime == "podman" ? bool.TryParse(output.Trim(), out var rootless) ? rootless : null
            : output.Contains("name=rootless", StringComparison.Ordinal);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "{Resource} runs as root inside the container, not as its cluster user {User}: {Reason}. Its volumes are left as they are (the volume-owner step is not started). Use a rootful Docker or podman to run it as {User}, as on the cluster.")]
    private static partial void LogRunsAsRoot(ILogger logger, string resource, string reason, string user);
}

/// <summary>Marks a Dendrite that runs locally as its cluster user; <see cref="RootReason"/> says why not, when the runtime cannot.</summary>
internal sealed class LocalUserAnnotation : IResourceAnnotation
{
    public string? RootReason { get; set; }
}
