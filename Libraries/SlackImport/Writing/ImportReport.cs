using DendriteAspire.SlackImport.Export;
using DendriteAspire.SlackImport.Planning;

namespace DendriteAspire.SlackImport.Writing;

/// <summary>What one conversation's import did.</summary>
public sealed class ConversationReport(SlackConversation conversation, string roomId)
{
    public SlackConversation Conversation { get; } = conversation;
    public string RoomId { get; } = roomId;
    public int Imported { get; set; }
    public int AlreadyImported { get; set; }
    public Dictionary<string, int> Skipped { get; } = new(StringComparer.Ordinal);

    internal void Skip(string reason) => Skipped[reason] = Skipped.GetValueOrDefault(reason) + 1;
}

/// <summary>The end-of-run report: per conversation, messages imported, already there and skipped with reasons.</summary>
public sealed class ImportReport(ImportPlan plan, bool dryRun)
{
    public ImportPlan Plan { get; } = plan;
    public bool DryRun { get; } = dryRun;
    public string? SpaceId { get; set; }
    public List<ConversationReport> Conversations { get; } = [];
    public List<string> AccountsCreated { get; } = [];
    /// <summary>Files the export holds only as a link: "#channel: name (url)".</summary>
    public List<string> FilesWithoutBytes { get; } = [];
    public int FilesUploaded { get; set; }
    /// <summary>With <c>--fetch-files</c>: files fetched from Slack and uploaded, "#channel: name".</summary>
    public List<string> FilesFetched { get; } = [];
    /// <summary>With <c>--fetch-files</c>: files that could not be fetched (a notice names them): "#channel: name (link): why".</summary>
    public List<string> FilesFetchFailed { get; } = [];
    public int EventsWritten { get; set; }
    public int RateLimitWaits { get; set; }

    /// <summary>How often, and how long in all (summed over rooms written side by side), writers waited for Dendrite's sync API (<see cref="HistoryPacer"/>).</summary>
    public int SyncApiWaits { get; private set; }

    public TimeSpan SyncApiWaited { get; private set; }

    /// <summary>How often, and how long (wall time: all writers wait together), the import waited for Dendrite's user API (<see cref="UserApiPacer"/>).</summary>
    public int UserApiWaits { get; internal set; }

    public TimeSpan UserApiWaited { get; internal set; }

    public int Imported => Conversations.Sum(c => c.Imported);

    // Conversations are written side by side: the shared counters change under a lock.
    private readonly Lock _lock = new();

    internal void CountEvent()
    {
        lock (_lock)
        {
            EventsWritten++;
        }
    }

    internal void AddSyncApiWaits(int waits, TimeSpan waited)
    {
        lock (_lock)
        {
            SyncApiWaits += waits;
            SyncApiWaited += waited;
        }
    }

    internal void CountUpload()
    {
        lock (_lock)
        {
            FilesUploaded++;
        }
    }

    internal void AddFileWithoutBytes(string file)
    {
        lock (_lock)
        {
            FilesWithoutBytes.Add(file);
        }
    }

    internal void AddFetched(string file)
    {
        lock (_lock)
        {
            FilesFetched.Add(file);
        }
    }

    internal void AddFetchFailed(string file)
    {
        lock (_lock)
        {
            FilesFetchFailed.Add(file);
        }
    }

    public void Print(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (DryRun)
        {
            Plan.Print(output);
            output.WriteLine("Dry run: nothing was written.");
            return;
        }

        output.WriteLine($"Imported into space {SpaceId}: {Imported} messages, {Conversations.Sum(c => c.AlreadyImported)} already imported, "
            + $"{Conversations.Sum(c => c.Skipped.Values.Sum())} skipped; {EventsWritten} events written, {FilesUploaded} files uploaded, "
            + $"{AccountsCreated.Count} accounts created{(RateLimitWaits > 0 ? $", {RateLimitWaits} waits for rate limits" : "")}"
            + $"{(SyncApiWaits + UserApiWaits > 0 ? $", waited for Dendrite to catch up: user API {UserApiWaits} times ({UserApiWaited.TotalSeconds:0} s), sync API {SyncApiWaits} times ({SyncApiWaited.TotalSeconds:0} s summed over rooms)" : "")}.");
        foreach (var c in Conversations)
        {
            var skipped = c.Skipped.Count == 0 ? "" : "; skipped: " + string.Join(", ", c.Skipped.Select(s => $"{s.Value} {s.Key}"));
            output.WriteLine($"  {ImportPlan.Describe(c.Conversation.Kind),-16} {c.Conversation.Name,-24} {c.RoomId}: {c.Imported} imported, {c.AlreadyImported} already imported{skipped}");
        }

        foreach (var account in AccountsCreated)
        {
            output.WriteLine($"  new account {account}");
        }

        if (FilesFetched.Count > 0)
        {
            output.WriteLine($"Files fetched from Slack ({FilesFetched.Count}):");
            foreach (var file in FilesFetched)
            {
                output.WriteLine("  " + file);
            }
        }

        if (FilesFetchFailed.Count > 0)
        {
            output.WriteLine($"Files that could not be fetched from Slack ({FilesFetchFailed.Count}; a notice in the room names each):");
            foreach (var file in FilesFetchFailed)
            {
                output.WriteLine("  " + file);
            }
        }

        if (FilesWithoutBytes.Count > 0)
        {
            output.WriteLine($"Files the export holds only as links ({FilesWithoutBytes.Count}; a notice in the room names each):");
            foreach (var file in FilesWithoutBytes)
            {
                output.WriteLine("  " + file);
            }
        }
    }
}
