using k8s.Models;

namespace DendriteAspire.AppHost.Tests;

public class KubernetesPostgresPublishTests
{
    [Fact]
    public async Task Postgres_mode_publishes_its_own_statefulset_secret_and_service_and_dendrite_points_at_it()
    {
        var output = await PublishedManifests.PublishAsync(
            "--Dendrite:Database:Provider=Postgres",
            "--Dendrite:Kubernetes:Namespace=family",
            "--Dendrite:Kubernetes:Ingress:Host=matrix.family.example",
            "--Dendrite:Kubernetes:Ingress:TlsSecretName=matrix-tls",
            "--Dendrite:Kubernetes:Ingress:Annotations:cert-manager.io/cluster-issuer=letsencrypt");

        var postgres = output.Named<V1StatefulSet>("postgres");
        Assert.Equal("postgres-headless", postgres.Spec.ServiceName);
        Assert.Equal("family", postgres.Metadata.NamespaceProperty);
        var container = postgres.Spec.Template.Spec.Containers.Single();
        Assert.StartsWith("docker.io/library/postgres:", container.Image, StringComparison.Ordinal);
        Assert.Equal("dendrite", container.Env.Single(e => e.Name == "POSTGRES_DB").Value);
        var password = container.Env.Single(e => e.Name == "POSTGRES_PASSWORD");
        Assert.Null(password.Value);
        Assert.Equal("postgres-env", password.ValueFrom.SecretKeyRef.Name);
        Assert.Equal(Publishing.PostgresPassword, output.Named<V1Secret>("postgres-env").StringData["POSTGRES_PASSWORD"]);
        Assert.Equal("data", Assert.Single(postgres.Spec.VolumeClaimTemplates).Metadata.Name);
        Assert.Equal(5432, Assert.Single(output.Named<V1Service>("postgres").Spec.Ports).Port);

        var config = output.Named<V1Secret>("dendrite-config").StringData["dendrite.yaml"];
        var encoded = Uri.EscapeDataString(Publishing.PostgresPassword);
        Assert.Contains($"postgresql://postgres:{encoded}@postgres:5432/dendrite?sslmode=disable", config, StringComparison.Ordinal);
        Assert.DoesNotContain("file:", config, StringComparison.Ordinal);

        foreach (var (file, text) in output.Files.Where(f => !f.Key.EndsWith("-secret.yaml", StringComparison.Ordinal)))
        {
            Assert.False(text.Contains(encoded, StringComparison.Ordinal) || text.Contains(Publishing.PostgresPassword, StringComparison.Ordinal), $"{file} holds the Postgres password");
        }

        var ingress = output.Named<V1Ingress>("dendrite");
        var rule = Assert.Single(ingress.Spec.Rules);
        Assert.Equal("matrix.family.example", rule.Host);
        Assert.Equal(["/_matrix", "/_dendrite/monitor", "/.well-known/matrix"], rule.Http.Paths.Select(p => p.Path));
        Assert.All(rule.Http.Paths, p => Assert.Equal(("dendrite", 80), (p.Backend.Service.Name, p.Backend.Service.Port.Number!.Value)));
        Assert.Equal("matrix-tls", Assert.Single(ingress.Spec.Tls).SecretName);
        Assert.Equal("letsencrypt", ingress.Metadata.Annotations["cert-manager.io/cluster-issuer"]);
    }

    [Fact]
    public async Task Federation_adds_port_8448_to_the_service()
    {
        var output = await PublishedManifests.PublishAsync("--Dendrite:Federation:Enabled=true");
        var ports = output.Named<V1Service>("dendrite").Spec.Ports.ToDictionary(p => p.Name, p => p.Port);
        Assert.Equal(80, ports["http"]);
        Assert.Equal(8448, ports["federation"]);
    }
}
