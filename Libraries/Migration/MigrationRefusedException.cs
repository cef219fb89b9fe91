namespace DendriteAspire.Migration;

/// <summary>
/// The migration will not run (or was rolled back) for a reason the user can fix: every line of
/// <see cref="Problems"/> names what is wrong and where. Nothing was written to the target when this is thrown.
/// </summary>
public sealed class MigrationRefusedException : Exception
{
    public MigrationRefusedException(string summary, IReadOnlyList<string> problems)
        : base(Format(summary, problems))
    {
        Summary = summary;
        Problems = problems;
    }

    public MigrationRefusedException(string summary)
        : this(summary, [])
    {
    }

    public MigrationRefusedException()
        : this("the migration was refused")
    {
    }

    public MigrationRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Summary = message;
        Problems = [];
    }

    /// <summary>One sentence: why nothing was migrated.</summary>
    public string Summary { get; }

    /// <summary>The individual differences or problems, one per line.</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string Format(string summary, IReadOnlyList<string> problems) =>
        problems.Count == 0 ? summary : summary + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  " + p));
}
