using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DendriteAspire.Onboarding.Api;
using k8s.Models;
using Pages = DendriteAspire.Onboarding.Tests.Pages;

namespace DendriteAspire.Integration.Tests;

/// <summary>
/// The published Kubernetes pods, run for real the way a kubelet would (<see cref="KubeletEmulation"/>): as their
/// non-root users, with read-only root file systems, no capabilities, fresh claims owned by the fsGroup and the config
/// Secret as 0440 files. Dendrite must become healthy (<c>/_dendrite/monitor/up</c>, then <c>/health</c>), which catches
/// every file-permission mistake the restricted security context could cause.
/// </summary>
[Trait("Category", "Live")]
public class PublishedPodTests
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Published_dendrite_pod_becomes_healthy_as_a_non_root_user_with_a_read_only_root_and_keeps_its_key()
    {
        var runtime = await LiveEnvironment.RequireAsync(withPostgres: false, withElement: true);
        var ct = TestContext.Current.CancellationToken;
        var published = await PublishedCluster.PublishAsync(ct);
        var dendrite = published.Workload("dendrite");
        var main = dendrite.Spec.Template.Spec.Containers.Single();
        Assert.Equal(1000, dendrite.Spec.Template.Spec.SecurityContext.RunAsUser);

        await using var pod = new KubeletEmulation(runtime, VolumePrefix.New("pod"));
        await pod.StartAsync(dendrite, published, ct);
        await pod.WaitReadyAsync(main, ProbeTimeout, ct);

        // The published pod serves Dendrite's metrics on its http port (the Service's 'http', which the ServiceMonitor
        // scrapes), behind the login from the config Secret: 403 without it (Dendrite's answer), 200 with it.
        using (var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{pod.HostPorts[("dendrite", 8008)]}") })
        {
            using var anonymous = await http.GetAsync(new Uri("/metrics", UriKind.Relative), ct);
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, anonymous.StatusCode);
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/metrics", UriKind.Relative));
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("metrics:published-pod-test-metrics")));
            using var scraped = await http.SendAsync(request, ct);
            Assert.Equal(System.Net.HttpStatusCode.OK, scraped.StatusCode);
            Assert.Contains("dendrite_up{", await scraped.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }

        // The key the init container wrote belongs to the pod's user and group, and a restart keeps it.
        var keyVolume = pod.ClaimVolume("dendrite", "storage-keys");
        var first = await ReadAsync(runtime, keyVolume, main.Image, "stat -c '%u:%g' /keys/matrix_key.pem && cat /keys/matrix_key.pem", ct);
        Assert.StartsWith("1000:1000\n", first, StringComparison.Ordinal);

        await pod.StopAsync(dendrite);
        await pod.StartAsync(dendrite, published, ct);
        await pod.WaitReadyAsync(main, ProbeTimeout, ct);
        Assert.Equal(first, await ReadAsync(runtime, keyVolume, main.Image, "stat -c '%u:%g' /keys/matrix_key.pem && cat /keys/matrix_key.pem", ct));
    }

    /// <summary>
    /// Every workload the publish writes, in both database modes, run as a kubelet would with the onboarding image
    /// built from <c>Onboarding/Dockerfile</c>, then the family path through their Services: the bootstrap Job's admin
    /// signs in, an invite link from the onboarding Service makes an account that lands in the Family room, and
    /// Element's Service serves a <c>config.json</c> for this homeserver. In Postgres mode Dendrite starts while Postgres
    /// still runs initdb: its wait-for-postgres init container holds it back until <c>pg_isready</c> answers through the
    /// Service name, instead of Dendrite crash-looping.
    /// </summary>
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Every_published_workload_runs_as_a_kubelet_would_and_a_relative_joins_the_family_room_through_them(string provider)
    {
        var withPostgres = provider == "Postgres";
        var runtime = await LiveEnvironment.RequireAsync(withPostgres, withElement: true);
        var ct = TestContext.Current.CancellationToken;
        var image = await OnboardingImage.BuildAsync(runtime, ct);
        var published = await PublishedCluster.PublishAsync(ct, $"--Dendrite:Database:Provider={provider}", $"--Dendrite:Kubernetes:Images:Onboarding={image}");
        var statefulSets = published.Objects.OfType<V1StatefulSet>().OrderByDescending(s => s.Metadata.Name == "postgres").ToList();
        var deployments = published.Objects.OfType<V1Deployment>().ToList();
        var jobs = published.Objects.OfType<V1Job>().ToList();
        Assert.Equal(withPostgres ? ["postgres", "dendrite"] : ["dendrite"], statefulSets.Select(s => s.Metadata.Name));
        Assert.Equal(["element", "onboarding"], deployments.Select(d => d.Metadata.Name).Order(StringComparer.Ordinal));
        Assert.NotEmpty(jobs);
        Assert.Equal(ElementUserId, published.Deployment("element").Spec.Template.Spec.SecurityContext.RunAsUser);
        Assert.Equal(OnboardingImageUser(), $"{published.Deployment("onboarding").Spec.Template.Spec.SecurityContext.RunAsUser}");

        // As `kubectl apply -k` starts them: the stateful workloads (Dendrite's init containers wait for Postgres), the
        // web workloads, then the Jobs to completion; then every container must pass its probes.
        await using var pods = new KubeletEmulation(runtime, VolumePrefix.New("workloads"));
        foreach (var workload in statefulSets)
        {
            await pods.StartAsync(workload, published, ct);
        }

        foreach (var workload in deployments)
        {
            await pods.StartAsync(workload, published, ct);
        }

        foreach (var job in jobs)
        {
            await pods.RunJobAsync(job, published, ct);
        }

        foreach (var container in statefulSets.Select(s => s.Spec.Template).Concat(deployments.Select(d => d.Spec.Template)).SelectMany(t => t.Spec.Containers))
        {
            await pods.WaitReadyAsync(container, ProbeTimeout, ct);
        }

        // The bootstrap admin the Job made (its name and password as the Job's spec reads them) signs in as an admin.
        using var homeserver = new HttpClient { BaseAddress = pods.ServiceUrl("dendrite") };
        var matrix = new MatrixClient(homeserver);
        var (adminUser, adminPassword) = BootstrapAdmin(published, jobs);
        var admin = await matrix.LoginOrThrowAsync(adminUser, adminPassword, ct);
        await Conversation.AssertAdminAsync(matrix, admin, expectedAdmin: true, ct);

        // An invite link from the onboarding Service; the relative opens it (at the Service, as the Ingress would send
        // her) and picks a password.
        var onboarding = pods.ServiceUrl("onboarding");
        using var api = new HttpClient { BaseAddress = onboarding };
        using var request = new HttpRequestMessage(HttpMethod.Post, InviteRequest.Path) { Content = JsonContent.Create(new InviteRequest("grandma", "Grandma", 24)) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", admin.AccessToken);
        using var created = await api.SendAsync(request, ct);
        var createdBody = await created.Content.ReadAsStringAsync(ct);
        Assert.True(created.StatusCode == HttpStatusCode.Created, $"POST {InviteRequest.Path}: {(int)created.StatusCode} {createdBody}\n{await pods.LogTailAsync("onboarding")}");
        var invite = JsonSerializer.Deserialize<CreatedInvite>(createdBody, JsonSerializerOptions.Web)!;
        Assert.Equal("@grandma:family.example", invite.UserId);

        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = onboarding };
        var joinPath = new Uri(invite.Url).PathAndQuery;
        var (formStatus, form) = await Pages.GetAsync(browser, joinPath);
        Assert.True(formStatus == HttpStatusCode.OK, $"GET {joinPath}: {(int)formStatus}\n{await pods.LogTailAsync("onboarding")}");
        var (joinStatus, welcome) = await Pages.PostFormAsync(browser, joinPath, form, ("password", "grandma's own password"), ("confirm", "grandma's own password"));
        Assert.True(joinStatus == HttpStatusCode.OK && Pages.Heading(welcome) == "Welcome to the family chat",
            $"join: {(int)joinStatus} {Pages.Heading(welcome)}\n{await pods.LogTailAsync("onboarding")}");

        var grandma = await matrix.LoginOrThrowAsync("grandma", "grandma's own password", ct);
        var family = (await matrix.GetAsync("/_matrix/client/v3/directory/room/%23family%3Afamily.example", null, ct)).EnsureSuccess("resolve #family").GetString("room_id");
        var joined = (await matrix.GetAsync("/_matrix/client/v3/joined_rooms", grandma.AccessToken, ct)).EnsureSuccess("joined rooms");
        Assert.Contains(family, joined.Body.GetProperty("joined_rooms").EnumerateArray().Select(r => r.GetString()));

        // Element, from its Service: the app, and a config.json that opens on this homeserver.
        using var element = new HttpClient { BaseAddress = pods.ServiceUrl("element") };
        using var index = await element.GetAsync(new Uri("/", UriKind.Relative), ct);
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        var config = JsonDocument.Parse(await element.GetStringAsync(new Uri("/config.json", UriKind.Relative), ct)).RootElement.GetProperty("default_server_config").GetProperty("m.homeserver");
        Assert.Equal("family.example", config.GetProperty("server_name").GetString());
        var homeserverUrl = published.Deployment("onboarding").Spec.Template.Spec.Containers.Single().Env.Single(e => e.Name == "Onboarding__HomeserverUrl").Value;
        Assert.Equal(homeserverUrl, config.GetProperty("base_url").GetString());
    }

    /// <summary>nginx's uid in the Element image, which the restricted pod runs the whole server as.</summary>
    private const long ElementUserId = 101;

    /// <summary>The <c>USER</c> of <c>Onboarding/Dockerfile</c>: the pod must run as the user the image was made for.</summary>
    private static string OnboardingImageUser() =>
        File.ReadAllLines(Path.Combine(AppHostCommandLine.RepositoryRoot(), "Onboarding", "Dockerfile"))
            .Single(l => l.StartsWith("USER ", StringComparison.Ordinal))["USER ".Length..].Split(':')[0];

    /// <summary>
    /// The admin the bootstrap Job creates, as its spec says: the user in its <c>ADMIN_USER</c>, the password from the
    /// Secret item it mounts as <c>password</c>.
    /// </summary>
    internal static (string User, string Password) BootstrapAdmin(PublishedCluster published, IReadOnlyList<V1Job> jobs)
    {
        var job = Assert.Single(jobs, j => j.Spec.Template.Spec.Containers.Any(c => c.Env?.Any(e => e.Name == "ADMIN_USER") == true));
        var user = job.Spec.Template.Spec.Containers.SelectMany(c => c.Env ?? []).Single(e => e.Name == "ADMIN_USER").Value;
        var secret = job.Spec.Template.Spec.Volumes.Select(v => v.Secret).OfType<V1SecretVolumeSource>()
            .Single(s => s.Items?.Any(i => i.Path == "password") == true);
        var key = secret.Items.Single(i => i.Path == "password").Key;
        return (user, published.Secrets[secret.SecretName][key].TrimEnd('\n'));
    }

    private static async Task<string> ReadAsync(ContainerRuntime runtime, string volume, string image, string script, CancellationToken ct)
    {
        var result = await runtime.RunAsync(TimeSpan.FromMinutes(1), ct, "run", "--rm", "--entrypoint", "/bin/sh", "-v", $"{volume}:/keys:ro", image, "-c", script);
        Assert.True(result.Succeeded, $"reading {volume} failed: {result.FirstErrorLine}");
        return result.StandardOutput;
    }
}
