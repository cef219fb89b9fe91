using k8s.Models;

namespace DendriteAspire.AppHost.Tests;

/// <summary>Probes and waits, by concern: Postgres is probed with pg_isready, and whoever waits for it waits in an init container.</summary>
[Collection(PublishedOutputs.Name)]
public class KubernetesProbeTests(FullestPublish fullest, SqlitePublish sqlite)
{
    private static readonly string[] PgIsReadyLocal = ["pg_isready", "--host", "127.0.0.1", "--port", "5432", "--username", "postgres", "--timeout", "3"];

    [Fact]
    public void Postgres_has_exec_startup_readiness_and_liveness_probes_running_pg_isready()
    {
        var container = fullest.Manifests.Named<V1StatefulSet>("postgres").Spec.Template.Spec.Containers.Single();
        foreach (var (type, probe) in new[] { ("readiness", container.ReadinessProbe), ("liveness", container.LivenessProbe), ("startup", container.StartupProbe) })
        {
            Assert.True(probe?.Exec is not null, $"postgres has no {type} exec probe");
            Assert.Equal(PgIsReadyLocal, probe.Exec.Command);
            Assert.Null(probe.HttpGet);
        }

        // Liveness may restart a hung server, but only after start-up (first start runs initdb) has passed.
        Assert.True(container.StartupProbe.PeriodSeconds * container.StartupProbe.FailureThreshold >= 300);
    }

    [Fact]
    public void Dendrite_waits_for_postgres_in_an_init_container_from_the_models_WaitFor()
    {
        var pod = fullest.Manifests.Named<V1StatefulSet>("dendrite").Spec.Template.Spec;
        Assert.Equal(["dendrite-release-guard", "dendrite-keygen", "wait-for-postgres"], pod.InitContainers.Select(c => c.Name));

        var wait = pod.InitContainers.Single(c => c.Name == "wait-for-postgres");
        var postgres = fullest.Manifests.Named<V1StatefulSet>("postgres").Spec.Template.Spec.Containers.Single();
        Assert.Equal(postgres.Image, wait.Image);
        Assert.Equal(["/bin/sh", "-c"], wait.Command);
        var script = Assert.Single(wait.Args);
        Assert.StartsWith("until 'pg_isready' '--host' 'postgres' '--port' '5432'", script, StringComparison.Ordinal);
        Assert.Contains("sleep", script, StringComparison.Ordinal);

        // The host and port it waits on are the Service Dendrite's config connects to.
        var service = fullest.Manifests.Named<V1Service>("postgres");
        Assert.Contains(service.Spec.Ports, p => p.Port == 5432);
        Assert.Contains("@postgres:5432/", fullest.Manifests.Named<V1Secret>("dendrite-config").StringData["dendrite.yaml"], StringComparison.Ordinal);
    }

    [Fact]
    public void Without_postgres_dendrite_waits_for_nothing_but_its_key()
    {
        var pod = sqlite.Manifests.Named<V1StatefulSet>("dendrite").Spec.Template.Spec;
        Assert.Equal(["dendrite-release-guard", "dendrite-keygen"], pod.InitContainers.Select(c => c.Name));
    }
}
