namespace DendriteAspire.Admin.Cli;

/// <summary>The CLI's exit codes; scripts depend on them.</summary>
public static class ExitCodes
{
    /// <summary>The command did what it says.</summary>
    public const int Success = 0;

    /// <summary>Dendrite refused (its errcode is printed), or the homeserver could not be reached.</summary>
    public const int Refused = 1;

    /// <summary>Bad input: a usage error, a user name that breaks a rule, a missing or unreadable credential.</summary>
    public const int BadInput = 2;
}
