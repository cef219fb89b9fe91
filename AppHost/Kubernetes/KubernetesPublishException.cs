namespace DendriteAspire.AppHost.Kubernetes;

/// <summary>The Kubernetes publish step cannot produce correct manifests; the message says what to set.</summary>
public sealed class KubernetesPublishException : DistributedApplicationException
{
    public KubernetesPublishException() { }

    public KubernetesPublishException(string message) : base(message) { }

    public KubernetesPublishException(string message, Exception innerException) : base(message, innerException) { }
}
