using DendriteAspire.ConfigRenderer.Rendering;
using DendriteAspire.Hosting.Kubernetes;

namespace DendriteAspire.Hosting;

/// <summary>
/// Settings a cluster can never take from a local run. The server name is baked into every user id, room and
/// signature forever, so a publish refuses <c>localhost</c> instead of guessing; URLs other servers and clients must
/// reach cannot point at the machine they run on either. Dendrite's <see cref="KubernetesPublishCheckAnnotation"/>:
/// checked before anything is built or written.
/// </summary>
internal static class ClusterIdentityRules
{
    private const string Prefix = DendriteHostOptions.SectionName + ":";

    /// <exception cref="DendriteSettingsException">The homeserver names this machine in a setting the cluster needs.</exception>
    public static void Check(DendriteResource dendrite)
    {
        var errors = Errors(dendrite).ToList();
        if (errors.Count > 0)
        {
            throw new DendriteSettingsException(errors);
        }
    }

    public static IEnumerable<ConfigFinding> Errors(DendriteResource dendrite)
    {
        var settings = dendrite.Settings;
        if (LoopbackNames.IsLoopback(settings.ServerName))
        {
            yield return Error("ServerName",
                $"\"{settings.ServerName}\" cannot be published to a cluster: it is baked into every user id and room forever; "
                + "set --Dendrite:ServerName=family.example (your own domain)");
        }

        if (settings.WellKnown.ServerName is { Length: > 0 } delegated && LoopbackNames.IsLoopback(delegated))
        {
            yield return Error("WellKnown:ServerName",
                $"\"{delegated}\" cannot be published to a cluster: other servers cannot reach this machine's loopback; "
                + "set --Dendrite:WellKnown:ServerName=matrix.family.example:443, or remove it");
        }

        if (settings.WellKnown.ClientUrl is { Length: > 0 } clientUrl && LoopbackNames.IsLoopbackUrl(clientUrl))
        {
            yield return Error("WellKnown:ClientUrl",
                $"\"{clientUrl}\" cannot be published to a cluster: clients cannot reach localhost; "
                + $"set --{KubernetesPublishOptions.SectionName}:Ingress:Host=matrix.family.example (the client URL becomes https://matrix.family.example), "
                + "or --Dendrite:WellKnown:ClientUrl=https://matrix.family.example");
        }
    }

    private static ConfigFinding Error(string key, string message) => new(FindingSeverity.Error, Prefix + key, message);
}
