namespace DendriteAspire.Migration.Cli;

/// <summary>The tool's exit codes.</summary>
public static class ExitCodes
{
    /// <summary>Migrated (or, with <c>--dry-run</c>, the plan was printed).</summary>
    public const int Success = 0;

    /// <summary>Something failed unexpectedly (for example the database could not be reached); nothing was committed.</summary>
    public const int Failed = 1;

    /// <summary>Bad arguments.</summary>
    public const int Usage = 2;

    /// <summary>Refused: schema versions differ, the target is not empty, a type cannot be converted, or the row counts differed. Nothing was written.</summary>
    public const int Refused = 3;
}
