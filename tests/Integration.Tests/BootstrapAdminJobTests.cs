using System.Net;
using Aspire.Hosting.ApplicationModel;
using DendriteAspire.Hosting;
using DendriteAspire.Hosting.Kubernetes;
using k8s.Models;
using DendriteAspire.Hosting.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DendriteAspire.Integration.Tests;

/// <summary>
/// The cluster's bootstrap Job, run for real: the container the publisher derives (image, command, environment,
/// mounts, non-root uid, read-only root, no capabilities) runs under the container runtime against the live Dendrite,
/// the way a kubelet would run the pod. The first run creates the admin; a second run finds it and succeeds.
/// </summary>
[Trait("Category", "Live")]
[Collection(SqliteStackDefinition.Name)]
public sealed class BootstrapAdminJobTests(SqliteAppFixture stack) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dendrite-bootstrap-job-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task TheJob_CreatesTheAdmin_ThenFindsItAndSucceedsAgain_WithoutShowingAToken()
    {
        var app = await stack.GetAppAsync();
        var runtime = await LiveEnvironment.RequireAsync(withPostgres: false);
        var ct = TestContext.Current.CancellationToken;
        var dendrite = (DendriteResource)app.Model.Resources.Single(r => r.Name == "dendrite");
        var values = new ClusterValueResolver(ConfiguredValues.Parameters(app.App.Services));
        // The Job as published: its pod's identity is decided where every pod's is (PodSecurity), as Dendrite's.
        var published = await BootstrapAdminJob.BuildAsync(dendrite, new KubernetesPublishOptions(), values, ct);
        PodSecurity.Apply(published, app.Model);
        var job = published.Select(o => o.Object).OfType<V1Job>().Single();
        var pod = job.Spec.Template.Spec;
        var container = pod.Containers.Single();

        // The Secrets' files, as a kubelet would project them: the rendered config and a new admin's password.
        var name = SharedSecretRegistration.NewLocalpart("jobadmin");
        var password = $"job-{Guid.NewGuid():N}";
        var owner = SharedSecretRegistration.NewLocalpart("jobrooms");
        var ownerPassword = $"owner-{Guid.NewGuid():N}";
        var room = SharedSecretRegistration.NewLocalpart("oldroom");
        var config = dendrite.Annotations.OfType<RenderedConfigFileAnnotation>().Single(f => f.FileName == DendriteAspire.ConfigRenderer.Layout.DendritePaths.ConfigFileName);
        var secretFiles = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal)
        {
            [$"{dendrite.Name}-config"] = new() { [config.FileName] = await config.Render((value, t) => value.GetValueAsync(new ValueProviderContext { Caller = dendrite }, t), ct) },
            [BootstrapAdminJob.SecretName(dendrite)] = new() { [BootstrapAdminJob.PasswordKey] = password + "\n", [BootstrapAdminJob.RoomOwnerPasswordKey] = ownerPassword },
        };

        var homeserver = app.Matrix.Http.BaseAddress!;
        string[] arguments = [.. RunArguments(pod, container, secretFiles,
            new()
            {
                ["DENDRITE_URL"] = $"http://127.0.0.1:{homeserver.Port}",
                ["ADMIN_USER"] = name,
                ["OWNER_USER"] = owner,
                ["OWNER_ID"] = $"@{owner}:localhost",
                ["FAMILY_ROOM"] = $"#{room}:localhost",
            })];

        var first = await runtime.RunAsync(TimeSpan.FromMinutes(3), ct, arguments);
        // Between the runs the new admin makes the family room the old way; the second run hands it to the owner.
        var adminSession = await app.Matrix.LoginOrThrowAsync(name, password, ct);
        (await app.Matrix.SendAsync(HttpMethod.Post, "/_matrix/client/v3/createRoom", new System.Text.Json.Nodes.JsonObject
        {
            ["room_alias_name"] = room,
            ["preset"] = "private_chat",
        }, adminSession.AccessToken, ct)).EnsureSuccess("createRoom as the admin");
        var second = await runtime.RunAsync(TimeSpan.FromMinutes(3), ct, arguments);
        var third = await runtime.RunAsync(TimeSpan.FromMinutes(3), ct, arguments);

        Assert.True(first.Succeeded, $"first run: {first.StandardOutput}\n{first.StandardError}");
        Assert.Contains($"Bootstrap admin {name} created.", first.StandardOutput, StringComparison.Ordinal);
        Assert.True(second.Succeeded, $"second run: {second.StandardOutput}\n{second.StandardError}");
        Assert.Contains($"Bootstrap admin {name} already exists; left unchanged.", second.StandardOutput, StringComparison.Ordinal);
        Assert.True(third.Succeeded, $"third run: {third.StandardOutput}\n{third.StandardError}");
        foreach (var output in new[] { first, second, third })
        {
            Assert.DoesNotContain("AccessToken: ", output.StandardOutput + output.StandardError, StringComparison.Ordinal);
            Assert.DoesNotContain(password, output.StandardOutput + output.StandardError, StringComparison.Ordinal);
            Assert.DoesNotContain(ownerPassword, output.StandardOutput + output.StandardError, StringComparison.Ordinal);
            // The process's real uid is the one the published pod names: Dendrite's, decided in one place.
            Assert.Contains($"Running as uid {pod.SecurityContext.RunAsUser}, gid {pod.SecurityContext.RunAsGroup}", output.StandardOutput, StringComparison.Ordinal);
        }

        Assert.Equal(1000, pod.SecurityContext.RunAsUser);

        // The room owner: made by the first run (no admin), handed the admin's room by the second, left alone by the third.
        Assert.Contains($"Family room owner {owner} created (not a server admin).", first.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"No family room #{room}:localhost yet", first.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"@{owner}:localhost raised to power level 100 in #{room}:localhost.", second.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"@{owner}:localhost invited to #{room}:localhost", second.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"@{owner}:localhost has power level 100 in #{room}:localhost already.", third.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"@{owner}:localhost is in #{room}:localhost already (or invited).", third.StandardOutput, StringComparison.Ordinal);
        var ownerSession = await app.Matrix.LoginOrThrowAsync(owner, ownerPassword, ct);
        await Conversation.AssertAdminAsync(app.Matrix, ownerSession, expectedAdmin: false, ct);
        var roomId = (await app.Matrix.GetAsync($"/_matrix/client/v3/directory/room/{Uri.EscapeDataString($"#{room}:localhost")}", ownerSession.AccessToken, ct)).EnsureSuccess("alias").GetString("room_id");
        await app.Matrix.JoinAsync(ownerSession, roomId, ct);
        var levels = (await app.Matrix.GetAsync($"/_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/state/m.room.power_levels", ownerSession.AccessToken, ct)).EnsureSuccess("levels").Body;
        Assert.Equal(100, levels.GetProperty("users").GetProperty($"@{owner}:localhost").GetInt32());

        var session = await app.Matrix.LoginOrThrowAsync(name, password, ct);
        await Conversation.AssertAdminAsync(app.Matrix, session, expectedAdmin: true, ct);
        var wrong = await app.Matrix.LoginAsync(name, "not-" + password, ct);
        Assert.Equal(HttpStatusCode.Forbidden, wrong.Status);
    }

    /// <summary><c>run</c> arguments for the pod's container: its security context, mounts and command, on the host network.</summary>
    private List<string> RunArguments(V1PodSpec pod, V1Container container, Dictionary<string, Dictionary<string, string>> secretFiles, Dictionary<string, string> environment)
    {
        var security = container.SecurityContext;
        List<string> arguments = ["run", "--rm", "--network", "host", "--user", $"{pod.SecurityContext.RunAsUser}:{pod.SecurityContext.RunAsGroup}"];
        if (security.ReadOnlyRootFilesystem == true)
        {
            arguments.Add("--read-only");
        }

        arguments.AddRange(security.Capabilities.Drop.SelectMany(c => new[] { "--cap-drop", c }));
        if (security.AllowPrivilegeEscalation == false)
        {
            arguments.AddRange(["--security-opt", "no-new-privileges"]);
        }

        foreach (var mount in container.VolumeMounts)
        {
            var volume = pod.Volumes.Single(v => v.Name == mount.Name);
            if (volume.EmptyDir is not null)
            {
                arguments.AddRange(["--tmpfs", $"{mount.MountPath}:rw,mode=1777"]);
                continue;
            }

            var directory = Path.Combine(_directory, mount.Name);
            Directory.CreateDirectory(directory);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
            }

            var files = secretFiles[volume.Secret.SecretName];
            foreach (var (key, content) in files.Where(f => volume.Secret.Items is null || volume.Secret.Items.Any(i => i.Key == f.Key)))
            {
                var path = Path.Combine(directory, key);
                File.WriteAllText(path, content);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(path, (UnixFileMode)0b100_100_100); // readable by the pod's non-root uid
                }
            }

            arguments.AddRange(["-v", $"{directory}:{mount.MountPath}:ro"]);
        }

        foreach (var variable in container.Env)
        {
            arguments.AddRange(["-e", $"{variable.Name}={environment.GetValueOrDefault(variable.Name, variable.Value)}"]);
        }

        arguments.AddRange(["--entrypoint", container.Command[0], container.Image, .. container.Command.Skip(1)]);
        return arguments;
    }
}
