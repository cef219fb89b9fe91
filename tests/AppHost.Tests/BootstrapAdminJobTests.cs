using k8s.Models;

namespace DendriteAspire.AppHost.Tests;

/// <summary>The cluster's first admin: the published admin Secret and the bootstrap Job.</summary>
public class BootstrapAdminJobTests(SqlitePublish published) : IClassFixture<SqlitePublish>
{
    private readonly PublishedManifests _output = published.Manifests;

    private V1Job Job => _output.Objects.OfType<V1Job>().Single(j => j.Metadata.Name == "dendrite-bootstrap-admin");

    private V1Secret AdminSecret => _output.Objects.OfType<V1Secret>().Single(s => s.Metadata.Name == "dendrite-admin");

    [Fact]
    public void The_admin_secret_holds_the_user_name_password_and_shared_secret_for_the_cli()
    {
        var data = AdminSecret.StringData;
        Assert.Equal("admin", data["username"]);
        Assert.Equal(Publishing.AdminPassword, data["password"]);
        Assert.Equal(Publishing.RegistrationSecret, data["registration-shared-secret"]);
    }

    [Fact]
    public void The_job_runs_dendrites_image_and_creates_the_admin_with_create_account_over_http()
    {
        var dendrite = _output.Objects.OfType<V1StatefulSet>().Single(s => s.Metadata.Name == "dendrite").Spec.Template.Spec.Containers.Single();
        var container = Job.Spec.Template.Spec.Containers.Single();

        Assert.Equal(dendrite.Image, container.Image);
        Assert.Equal(["/bin/sh", "-c"], container.Command.Take(2));
        var script = container.Command[2];
        Assert.Contains("/_dendrite/monitor/up", script, StringComparison.Ordinal);
        Assert.Contains("/usr/bin/create-account -config /etc/dendrite-config/dendrite.yaml -url \"$url\" -username \"$ADMIN_USER\" -admin -passwordfile /var/run/dendrite-admin/password", script, StringComparison.Ordinal);
        Assert.Contains("grep -q M_USER_IN_USE", script, StringComparison.Ordinal);
        var service = _output.Objects.OfType<V1Service>().Single(s => s.Metadata.Name == "dendrite");
        var http = service.Spec.Ports.Single(p => p.Name == "http");
        Assert.Equal($"http://dendrite:{http.Port}", container.Env.Single(e => e.Name == "DENDRITE_URL").Value);
        Assert.Equal("admin", container.Env.Single(e => e.Name == "ADMIN_USER").Value);
        Assert.Equal("OnFailure", Job.Spec.Template.Spec.RestartPolicy);
        Assert.NotNull(Job.Spec.ActiveDeadlineSeconds);
        Assert.NotNull(Job.Spec.TtlSecondsAfterFinished);
    }

    [Fact]
    public void The_job_runs_as_dendrite_runs_the_identity_decided_once_for_both()
    {
        // The Job runs Dendrite's image on Dendrite's config Secret, so it is Dendrite's cluster user (1000), not the
        // default 65532 a workload of no resource would get.
        var dendrite = _output.Objects.OfType<V1StatefulSet>().Single(s => s.Metadata.Name == "dendrite").Spec.Template.Spec.SecurityContext;
        var job = Job.Spec.Template.Spec.SecurityContext;
        Assert.Equal((1000L, 1000L, 1000L), (job.RunAsUser, job.RunAsGroup, job.FsGroup));
        Assert.Equal((dendrite.RunAsUser, dendrite.RunAsGroup, dendrite.FsGroup), (job.RunAsUser, job.RunAsGroup, job.FsGroup));
        Assert.Contains("runAsUser: 1000", _output.Files["dendrite-bootstrap-admin-job.yaml"], StringComparison.Ordinal);
    }

    [Fact]
    public void The_job_makes_the_family_room_owner_without_admin_rights_and_hands_it_an_existing_room()
    {
        Assert.Equal(Publishing.RoomOwnerPassword, AdminSecret.StringData["room-owner-password"]);
        var container = Job.Spec.Template.Spec.Containers.Single();
        var script = container.Command[2];
        Assert.Contains("-username \"$OWNER_USER\" -passwordfile /var/run/dendrite-admin/room-owner-password", script, StringComparison.Ordinal);
        Assert.DoesNotContain("-username \"$OWNER_USER\" -admin", script, StringComparison.Ordinal);
        Assert.Contains("/state/m.room.power_levels", script, StringComparison.Ordinal);
        var environment = container.Env.ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal("family-rooms", environment["OWNER_USER"]);
        Assert.Equal("@family-rooms:family.example", environment["OWNER_ID"]);
        Assert.Equal("#family:family.example", environment["FAMILY_ROOM"]);
    }

    [Fact]
    public void The_job_is_restricted_pod_security()
    {
        var pod = Job.Spec.Template.Spec;
        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.NotEqual(0, pod.SecurityContext.RunAsUser);
        Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile.Type);
        Assert.False(pod.AutomountServiceAccountToken);
        foreach (var container in pod.Containers)
        {
            var security = container.SecurityContext;
            Assert.False(security.AllowPrivilegeEscalation);
            Assert.True(security.ReadOnlyRootFilesystem);
            Assert.True(security.RunAsNonRoot);
            Assert.Equal(["ALL"], security.Capabilities.Drop);
            Assert.Null(security.Capabilities.Add);
            Assert.Equal("RuntimeDefault", security.SeccompProfile.Type);
            Assert.NotNull(container.Resources.Limits["memory"]);
        }

        Assert.All(pod.Volumes, v => Assert.True(v.Secret is not null || v.EmptyDir is not null, $"{v.Name} is neither a Secret nor an emptyDir"));
    }

    [Fact]
    public void Secrets_reach_the_job_only_as_files_from_secrets_that_are_published()
    {
        var published = _output.Objects.OfType<V1Secret>().Select(s => s.Metadata.Name).ToHashSet();
        var volumes = Job.Spec.Template.Spec.Volumes.Where(v => v.Secret is not null).ToList();
        Assert.Equal(["dendrite-admin", "dendrite-config"], volumes.Select(v => v.Secret.SecretName).Order());
        Assert.All(volumes, v => Assert.Contains(v.Secret.SecretName, published));
        Assert.Equal(["password", "room-owner-password"], volumes.Single(v => v.Secret.SecretName == "dendrite-admin").Secret.Items.Select(i => i.Key));

        var job = _output.Files["dendrite-bootstrap-admin-job.yaml"];
        Assert.DoesNotContain(Publishing.AdminPassword, job, StringComparison.Ordinal);
        Assert.DoesNotContain(Publishing.RegistrationSecret, job, StringComparison.Ordinal);
        Assert.DoesNotContain(Publishing.RoomOwnerPassword, job, StringComparison.Ordinal);
        Assert.All(Job.Spec.Template.Spec.Containers.SelectMany(c => c.Env), e => Assert.Null(e.ValueFrom));
    }

    [Fact]
    public void The_access_token_create_account_prints_is_never_shown()
    {
        var script = Job.Spec.Template.Spec.Containers.Single().Command[2];
        Assert.DoesNotContain("echo \"$out\"", script, StringComparison.Ordinal);
        Assert.Contains("sed 's/AccessToken: [^)]*/AccessToken: (hidden)/'", script, StringComparison.Ordinal);
        Assert.Contains("/_matrix/client/v3/logout", script, StringComparison.Ordinal);
    }
}
