using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using DendriteAspire.ConfigRenderer.Layout;
using DendriteAspire.Hosting;
using DendriteAspire.Hosting.Kubernetes;
using k8s.Models;

namespace DendriteAspire.AppHost.Tests;

/// <summary>
/// What the AppHost configures so that the local Dendrite runs as the same non-root user as its published pod: the
/// <c>dendrite-volume-owner</c> step over every volume first, then the key step and Dendrite with <c>--user</c>, all
/// read from the one place that decides the pod's identity (the Dendrite resource's cluster user).
/// </summary>
public class LocalDendriteUserModelTests
{
    [Fact]
    public async Task Dendrite_and_its_key_step_run_as_the_published_pods_user_after_the_volume_owner_step()
    {
        var published = await PublishedManifests.PublishAsync();
        var pod = published.Objects.OfType<V1StatefulSet>().Single(s => s.Metadata.Name == "dendrite").Spec.Template.Spec.SecurityContext;
        Assert.DoesNotContain(published.Files.Values, yaml => yaml.Contains("volume-owner", StringComparison.Ordinal));

        await using var app = await AppModel.BuildAsync("--Dendrite:VolumePrefix=owntest");
        var dendrite = app.Resource<DendriteResource>("dendrite");
        var keygen = app.Resource<DendriteKeyGenerationResource>("dendrite-keygen");
        var owner = app.Resource<DendriteVolumeOwnershipResource>("dendrite-volume-owner");
        Assert.Same(owner, dendrite.VolumeOwnership);
        Assert.Same(dendrite, owner.Homeserver);

        var user = $"{pod.RunAsUser}:{pod.RunAsGroup}";
        Assert.Equal("1000:1000", user);
        Assert.Equal(pod.FsGroup, pod.RunAsGroup);
        Assert.Equal(["--tmpfs", "/etc/dendrite", "--user", user], await RuntimeArgs(dendrite));
        Assert.Equal(["--tmpfs", "/etc/dendrite", "--user", user], await RuntimeArgs(keygen));
        Assert.Equal(["--tmpfs", "/etc/dendrite"], await RuntimeArgs(owner)); // the step itself is root

        // Both wait until the step has exited successfully; the key step is ordered after it too.
        foreach (var waiting in new IResource[] { dendrite, keygen })
        {
            var wait = Assert.Single(waiting.Annotations.OfType<WaitAnnotation>(), w => w.Resource == owner);
            Assert.Equal(WaitType.WaitForCompletion, wait.WaitType);
        }

        // Every volume Dendrite and the key step mount, at the same paths, writable; no others.
        var mounts = owner.Annotations.OfType<ContainerMountAnnotation>().ToList();
        Assert.Equal(DendriteVolume.All.Select(v => ($"owntest-{v.Name}", v.Target)), mounts.Select(m => (m.Source!, m.Target)));
        Assert.All(mounts, m => Assert.False(m.IsReadOnly));
        var used = dendrite.Annotations.Concat(keygen.Annotations).OfType<ContainerMountAnnotation>().Where(m => m.Type == ContainerMountType.Volume)
            .Select(m => m.Source!).ToHashSet();
        Assert.Subset(mounts.Select(m => m.Source!).ToHashSet(), used);
        Assert.True(owner.TryGetContainerImageName(out var ownerImage) & dendrite.TryGetContainerImageName(out var image));
        Assert.Equal(image, ownerImage);

        Assert.Equal(["-c", LocalDendriteUser.Script, "volume-owner", "1000", "1000", .. DendriteVolume.All.Select(v => v.Target)], await Arguments(owner));
        Assert.Equal(SigningKeyGeneration.Shell, owner.Entrypoint);

        // The config files Dendrite reads (0440) belong to that user, or it could not read them.
        var files = Assert.Single(dendrite.Annotations.OfType<ContainerFileSystemCallbackAnnotation>());
        var items = await files.Callback(new ContainerFileSystemCallbackContext { Model = dendrite, Services = app.App.Services }, TestContext.Current.CancellationToken);
        var config = Assert.IsType<ContainerFile>(Assert.Single(items));
        Assert.Equal((1000, 1000), (config.Owner, config.Group));
    }

    [Fact]
    public async Task Another_cluster_user_changes_the_local_user_and_the_ownership_step_together()
    {
        await using var app = await AppModel.BuildAsync();
        var dendrite = app.Resource<DendriteResource>("dendrite");
        var owner = app.Resource<DendriteVolumeOwnershipResource>("dendrite-volume-owner");
        dendrite.Annotations.Add(new ClusterUserAnnotation(2000, 3000));

        Assert.Equal("2000:3000", (await RuntimeArgs(dendrite))[^1]);
        Assert.Equal("2000:3000", (await RuntimeArgs(app.Resource<DendriteKeyGenerationResource>("dendrite-keygen")))[^1]);
        Assert.Equal(["2000", "3000"], (await Arguments(owner))[3..5]);
    }

    [Fact]
    public async Task On_a_rootless_runtime_dendrite_stays_root_and_nothing_waits_for_the_ownership_step()
    {
        Assert.Null(LocalDendriteUser.RootReason("podman", rootless: false));
        Assert.Null(LocalDendriteUser.RootReason("docker", rootless: null)); // not known: run as the user
        Assert.Contains("rootless", LocalDendriteUser.RootReason("podman", rootless: true), StringComparison.Ordinal);
        Assert.Contains("rootless", LocalDendriteUser.RootReason("docker", rootless: true), StringComparison.Ordinal);

        await using var app = await AppModel.BuildAsync();
        var dendrite = app.Resource<DendriteResource>("dendrite");
        dendrite.Annotations.OfType<LocalUserAnnotation>().Single().RootReason = LocalDendriteUser.RootReason("podman", rootless: true);
        Assert.Null(LocalDendriteUser.Of(dendrite));
        Assert.Equal(["--tmpfs", "/etc/dendrite"], await RuntimeArgs(dendrite));
        var files = Assert.Single(dendrite.Annotations.OfType<ContainerFileSystemCallbackAnnotation>());
        var items = await files.Callback(new ContainerFileSystemCallbackContext { Model = dendrite, Services = app.App.Services }, TestContext.Current.CancellationToken);
        Assert.Null(Assert.IsType<ContainerFile>(Assert.Single(items)).Owner);
    }

    [Fact]
    public async Task Publishing_adds_no_ownership_step_the_pods_fsGroup_does_that()
    {
        var builder = await Aspire.Hosting.Testing.DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            ["--operation", "publish", "--step", "publish-manifest", "--output-path", Publishing.NewOutputDirectory(),
             "--Parameters:dendrite-registration-secret=x"], TestContext.Current.CancellationToken);
        Assert.DoesNotContain(builder.Resources, r => r is DendriteVolumeOwnershipResource);
        var dendrite = builder.Resources.OfType<DendriteResource>().Single();
        Assert.Null(dendrite.VolumeOwnership);
        Assert.Empty(dendrite.Annotations.OfType<LocalUserAnnotation>());
        Assert.Equal(DendritePaths.StorageKeys, DendriteVolume.StorageKeys.Target);
        await builder.DisposeAsync();
    }

    private static async Task<List<string>> RuntimeArgs(IResource resource)
    {
        var args = new List<object>();
        foreach (var annotation in resource.Annotations.OfType<ContainerRuntimeArgsCallbackAnnotation>())
        {
            await annotation.Callback(new ContainerRuntimeArgsCallbackContext(args, TestContext.Current.CancellationToken));
        }

        return [.. args.Select(a => Assert.IsType<string>(a))];
    }

    private static async Task<List<string>> Arguments(ContainerResource resource)
    {
        var args = new List<object>();
        foreach (var annotation in resource.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await annotation.Callback(new CommandLineArgsCallbackContext(args, resource, TestContext.Current.CancellationToken));
        }

        return [.. args.Select(a => Assert.IsType<string>(a))];
    }
}
