using DendriteAspire.Hosting.Kubernetes;

namespace DendriteAspire.Hosting;

/// <summary>
/// What the cluster's backup of Dendrite needs from the onboarding service beside it (put on Dendrite by
/// <c>AddFamilyOnboarding</c>): the claim that holds <c>invites.db</c>, the labels of its pod (the backup pod runs on
/// that node too: the claim is ReadWriteOnce), its group (the backup reads, and the restore writes, the claim as a
/// member of it), and where the publish puts its invite secret (for <c>Backup:IncludeSecrets</c>).
/// </summary>
/// <param name="Workload">The onboarding workload's name.</param>
/// <param name="ClaimName">Its data claim, e.g. <c>onboarding-data</c>.</param>
/// <param name="GroupId">The group its pod runs as (<c>fsGroup</c>).</param>
/// <param name="InviteSecret">The invite secret parameter.</param>
/// <param name="InviteSecretKey">The key of the workload's environment Secret that holds it.</param>
internal sealed record OnboardingBackupAnnotation(string Workload, string ClaimName, long GroupId, ParameterResource InviteSecret, string InviteSecretKey)
    : IResourceAnnotation
{
    /// <summary>The workload's environment Secret, e.g. <c>onboarding-env</c>.</summary>
    public string InviteSecretName => WorkloadManifests.SecretEnvironmentNameFor(Workload);
}
