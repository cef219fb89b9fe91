namespace DendriteAspire.Hosting.Kubernetes;

/// <summary>The Kubernetes publish step cannot produce correct manifests; the message says what to set.</summary>
public sealed class KubernetesPublishException : DistributedApplicationException
{
    /// <summary>Creates the exception with no message.</summary>
    public KubernetesPublishException() { }

    /// <summary>Creates the exception with the reason and the fix.</summary>
    public KubernetesPublishException(string message) : base(message) { }

    /// <summary>Creates the exception with the reason and the exception that caused it.</summary>
    public KubernetesPublishException(string message, Exception innerException) : base(message, innerException) { }
}
