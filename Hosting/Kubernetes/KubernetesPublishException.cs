namespace DendriteAspire.Hosting.Kubernetes;

/// <summary>The Kubernetes publish step cannot produce correct manifests; the message says what to set.</summary>
public sealed class KubernetesPublishException : DistributedApplicationException
{
    /// <summary>Creates the exception with no message.</summary>
    public KubernetesPublishException() { }

    /// <summary>Creates the exception with the reason and the fix.</summary>
    /// <param name="message">What is wrong and what to set.</param>
    public KubernetesPublishException(string message) : base(message) { }

    /// <summary>Creates the exception with the reason and the exception that caused it.</summary>
    /// <param name="message">What is wrong and what to set.</param>
    /// <param name="innerException">The cause.</param>
    public KubernetesPublishException(string message, Exception innerException) : base(message, innerException) { }
}
