using k8s;

namespace DendriteAspire.Hosting.Kubernetes;

/// <summary>
/// One Kubernetes object, the file it is written to, and the model resource it belongs to (its workload, or what the
/// resource added through <see cref="KubernetesObjectsAnnotation"/>). <see cref="PodSecurity"/> gives a pod the
/// identity of its owner: a Job a resource adds runs as that resource does.
/// </summary>
internal sealed record PublishedObject(string FileName, IKubernetesObject Object, IResource? Owner = null);
