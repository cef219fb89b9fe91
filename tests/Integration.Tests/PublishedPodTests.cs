using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.Publishing;
using Aspire.Hosting.Testing;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

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
        var runtime = await LiveEnvironment.RequireAsync(withPostgres: false);
        var ct = TestContext.Current.CancellationToken;
        var published = await PublishAsync(ct);
        var dendrite = published.Workload("dendrite");
        var main = dendrite.Spec.Template.Spec.Containers.Single();
        Assert.Equal(1000, dendrite.Spec.Template.Spec.SecurityContext.RunAsUser);

        await using var pod = new KubeletEmulation(runtime, VolumePrefix.New("pod"));
        await pod.StartAsync(dendrite, published.Secrets, published.ServiceNamesFor(dendrite), ct);
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
        await pod.StartAsync(dendrite, published.Secrets, published.ServiceNamesFor(dendrite), ct);
        await pod.WaitReadyAsync(main, ProbeTimeout, ct);
        Assert.Equal(first, await ReadAsync(runtime, keyVolume, main.Image, "stat -c '%u:%g' /keys/matrix_key.pem && cat /keys/matrix_key.pem", ct));
    }

    [Fact]
    public async Task Published_postgres_pod_passes_its_pg_isready_probes_and_dendrite_waits_for_it_on_a_cold_start()
    {
        var runtime = await LiveEnvironment.RequireAsync(withPostgres: true);
        var ct = TestContext.Current.CancellationToken;
        var published = await PublishAsync(ct, "--Dendrite:Database:Provider=Postgres");
        var postgres = published.Workload("postgres");
        var dendrite = published.Workload("dendrite");
        Assert.Equal(999, postgres.Spec.Template.Spec.SecurityContext.RunAsUser);

        await using var pods = new KubeletEmulation(runtime, VolumePrefix.New("pods"));
        await pods.StartAsync(postgres, published.Secrets, published.ServiceNamesFor(postgres), ct);

        // Dendrite starts at once, while Postgres is still running initdb: its wait-for-postgres init container holds
        // it back until pg_isready answers through the Service name, instead of Dendrite crash-looping.
        await pods.StartAsync(dendrite, published.Secrets, published.ServiceNamesFor(dendrite), ct);
        await pods.WaitReadyAsync(postgres.Spec.Template.Spec.Containers.Single(), ProbeTimeout, ct);
        await pods.WaitReadyAsync(dendrite.Spec.Template.Spec.Containers.Single(), ProbeTimeout, ct);
    }

    private static async Task<string> ReadAsync(ContainerRuntime runtime, string volume, string image, string script, CancellationToken ct)
    {
        var result = await runtime.RunAsync(TimeSpan.FromMinutes(1), ct, "run", "--rm", "--entrypoint", "/bin/sh", "-v", $"{volume}:/keys:ro", image, "-c", script);
        Assert.True(result.Succeeded, $"reading {volume} failed: {result.FirstErrorLine}");
        return result.StandardOutput;
    }

    /// <summary>Publishes the real AppHost in-process and reads the output back as typed objects.</summary>
    private static async Task<Published> PublishAsync(CancellationToken ct, params string[] settings)
    {
        var output = Directory.CreateTempSubdirectory("dendrite-pod-publish-").FullName;
        try
        {
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
                [
                    "--operation", "publish", "--step", "publish", "--output-path", output, "--Pipeline:ClearCache", "true",
                    "--Dendrite:ServerName=family.example",
                    "--Parameters:dendrite-registration-secret=published-pod-test-secret",
                    "--Parameters:dendrite-metrics-password=published-pod-test-metrics",
                    "--Parameters:postgres-password=published pod/test:pass",
                    .. settings,
                ],
                ct);
            builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(2));
            var succeeded = false;
            builder.Eventing.Subscribe<AfterPublishEvent>((_, _) =>
            {
                succeeded = true;
                return Task.CompletedTask;
            });
            await using (var app = await builder.BuildAsync(ct))
            {
                await app.RunAsync(ct);
            }

            Assert.True(succeeded, "the Kubernetes publish failed");
            var objects = Directory.GetFiles(output, "*.yaml")
                .Where(f => Path.GetFileName(f) != "kustomization.yaml")
                .SelectMany(f => KubernetesYaml.LoadAllFromString(File.ReadAllText(f, Encoding.UTF8)))
                .ToList();
            return new Published(objects);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private sealed class Published(IReadOnlyList<object> objects)
    {
        public IReadOnlyDictionary<string, IDictionary<string, string>> Secrets { get; } =
            objects.OfType<V1Secret>().ToDictionary(s => s.Metadata.Name, s => s.StringData);

        public V1StatefulSet Workload(string name) => Assert.Single(objects.OfType<V1StatefulSet>(), s => s.Metadata.Name == name);

        /// <summary>The Services that select the workload's pods: the names other pods reach it by.</summary>
        public IReadOnlyList<string> ServiceNamesFor(V1StatefulSet workload) =>
        [
            .. objects.OfType<V1Service>()
                .Where(s => s.Spec.Selector.All(l => workload.Spec.Template.Metadata.Labels.TryGetValue(l.Key, out var v) && v == l.Value))
                .Select(s => s.Metadata.Name),
        ];
    }
}
