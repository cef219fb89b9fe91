using k8s;

namespace DendriteAspire.Hosting.Kubernetes;

/// <summary>One Kubernetes object and the file it is written to.</summary>
internal sealed record PublishedObject(string FileName, IKubernetesObject Object);
