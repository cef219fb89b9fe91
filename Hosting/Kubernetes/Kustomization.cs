using YamlDotNet.Serialization;

namespace DendriteAspire.Hosting.Kubernetes;

/// <summary>The <c>kustomization.yaml</c> that lets <c>kubectl apply -k</c> take the whole directory.</summary>
internal sealed class Kustomization
{
    [YamlMember(Alias = "apiVersion", Order = 0)]
    public string ApiVersion { get; init; } = "kustomize.config.k8s.io/v1beta1";

    [YamlMember(Alias = "kind", Order = 1)]
    public string Kind { get; init; } = "Kustomization";

    [YamlMember(Alias = "namespace", Order = 2)]
    public required string Namespace { get; init; }

    [YamlMember(Alias = "resources", Order = 3)]
    public required IReadOnlyList<string> Resources { get; init; }

    public string ToYaml() => new SerializerBuilder().Build().Serialize(this);
}
