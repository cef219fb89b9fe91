namespace DendriteAspire.Admin.Cli;

/// <summary>The CLI's exit codes; scripts depend on them.</summary>
public static class ExitCodes
{
    /// <summary>The command did what it says.</summary>
    public const int Success = 0;

    /// <summary>Dendrite refused (its errcode is printed), or the homeserver could not be reached; for <c>backup</c> and
    /// <c>restore</c>, the container runtime or a tool in a container failed (its last lines are printed).</summary>
    public const int Refused = 1;

    /// <summary>Bad input: a usage error, a user name that breaks a rule, a missing or unreadable credential; for the
    /// backup commands, a refusal (damaged, truncated or tampered archive, wrong passphrase, archive from a newer
    /// Dendrite, target in use or holding data without <c>--replace</c>), with nothing changed.</summary>
    public const int BadInput = 2;
}
