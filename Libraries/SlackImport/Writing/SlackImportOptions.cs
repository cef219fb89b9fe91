using DendriteAspire.Admin.Accounts;

namespace DendriteAspire.SlackImport.Writing;

/// <summary>How to import.</summary>
public sealed record SlackImportOptions
{
    /// <summary>The import's own account: the registration's <c>sender_localpart</c>, creator of every imported room.</summary>
    public static readonly UserName DefaultBot = UserName.Parse("slack-import");

    /// <summary>The bootstrap admin, put in every imported room with power level 100.</summary>
    public required UserName Admin { get; init; }

    public UserName Bot { get; init; } = DefaultBot;

    /// <summary>The Space's name: the workspace's, or "Slack".</summary>
    public string SpaceName { get; init; } = "Slack";

    /// <summary>Null: read from the server (<c>/_matrix/key/v2/server</c>).</summary>
    public string? ServerName { get; init; }

    public bool DryRun { get; init; }

    /// <summary>
    /// <c>--fetch-files</c>: downloads files the export holds only as links. Null (the default): nothing is ever
    /// fetched from Slack; such files become a notice naming them.
    /// </summary>
    public SlackFileFetcher? FetchFiles { get; init; }

    /// <summary>
    /// How many conversations are written side by side (order is kept inside each room). Measured on a quiet 2-core
    /// machine with SQLite (bench/RESULTS.md): one at a time matches a plain <c>PUT /send</c> loop event for event
    /// (4,000 messages: 100% of its event rate), while 16 side by side reached 87%, because Dendrite's roomserver then
    /// takes the CPU its user API needs to keep up. More may help on a bigger machine or with Postgres; measure first.
    /// </summary>
    public int Parallelism { get; init; } = DefaultParallelism;

    /// <summary>The default for <see cref="Parallelism"/>.</summary>
    public const int DefaultParallelism = 1;

    /// <summary>Needed only when people need new accounts (shared-secret registration, as normal users).</summary>
    public string? SharedSecret { get; init; }

    public IReadOnlyDictionary<string, UserName> Map { get; init; } = new Dictionary<string, UserName>();
}
