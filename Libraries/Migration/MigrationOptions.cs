namespace DendriteAspire.Migration;

/// <summary>What to migrate where.</summary>
/// <param name="SourceDirectory">The directory with Dendrite's SQLite component databases (opened read-only).</param>
/// <param name="TargetConnectionString">An Npgsql connection string for the Postgres database Dendrite initialised.</param>
/// <param name="Replace">Overwrite a target that already holds accounts or events.</param>
/// <param name="DryRun">Check and print the plan; write nothing.</param>
public sealed record MigrationOptions(string SourceDirectory, string TargetConnectionString, bool Replace = false, bool DryRun = false);
