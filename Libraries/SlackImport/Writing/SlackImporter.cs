using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using DendriteAspire.Admin.Matrix;
using DendriteAspire.SlackImport.Export;
using DendriteAspire.SlackImport.Planning;
using DendriteAspire.SlackImport.Text;

namespace DendriteAspire.SlackImport.Writing;

/// <summary>
/// Imports a Slack export into a live Dendrite: read, plan, then write. Reading and planning check everything that
/// can be wrong with the export and the mapping before the first write; the dry run stops after the plan. Writing
/// adds only what the rooms' own record (<see cref="ImportRecord"/>) does not hold yet, so a second or resumed run
/// writes nothing twice.
/// </summary>
public sealed class SlackImporter
{
    private readonly HttpClient _http;
    private readonly AppServiceClient _client;
    private readonly TextWriter _progress;

    /// <param name="http">An HttpClient whose base address is the homeserver.</param>
    /// <param name="asToken">The import registration's token (<c>dendrite-import-token</c>).</param>
    /// <param name="progress">Where progress lines go (one per conversation, more on long ones).</param>
    public SlackImporter(HttpClient http, string asToken, TextWriter progress)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
        _client = new AppServiceClient(http, asToken);
        _progress = TextWriter.Synchronized(progress ?? TextWriter.Null);
    }

    /// <summary>Imports (or, with <see cref="SlackImportOptions.DryRun"/>, plans) the export at <paramref name="exportPath"/>.</summary>
    /// <exception cref="SlackExportException">Bad input; nothing was written.</exception>
    /// <exception cref="MatrixApiException">Dendrite refused a request (a refused token: nothing was written).</exception>
    public async Task<ImportReport> RunAsync(string exportPath, SlackImportOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var source = ExportSource.Open(exportPath);
        var export = SlackExportReader.Read(source);
        _progress.WriteLine($"Read {export.Source}: {export.Users.Count} people, {export.Conversations.Count} conversations, {export.MessageCount} messages.");

        var serverName = options.ServerName ?? await _client.ServerNameAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new SlackExportException($"cannot learn the server name from {_http.BaseAddress} (with federation off Dendrite does not serve /_matrix/key/v2/server); give --server-name, the part after ':' in your user ids");
        var plan = ImportPlanner.Plan(export, options.Map, serverName, options.Bot, options.Admin, options.SpaceName);

        // The token first: with the registration off, Dendrite refuses it here, before any other request.
        await _client.WhoAmIAsync(plan.BotUserId, cancellationToken).ConfigureAwait(false);
        try
        {
            if (!(await _client.ProfileAsync(plan.AdminUserId, plan.BotUserId, cancellationToken).ConfigureAwait(false)).Exists)
            {
                throw new SlackExportException($"the admin {plan.AdminUserId} has no account on {serverName}; give the bootstrap admin's name with --admin-user");
            }

            var people = new Dictionary<string, PersonPlan>(StringComparer.Ordinal);
            foreach (var person in plan.People.Values)
            {
                var (exists, displayName) = await _client.ProfileAsync(person.UserId, plan.BotUserId, cancellationToken).ConfigureAwait(false);
                people[person.SlackId] = person with { Exists = exists, DisplayName = exists && !person.IsBot && !string.IsNullOrEmpty(displayName) ? displayName : person.DisplayName };
            }

            var newHumans = people.Values.Where(p => !p.Exists && !p.IsBot).Select(p => p.UserId).Order(StringComparer.Ordinal).ToList();
            if (newHumans.Count > 0 && string.IsNullOrEmpty(options.SharedSecret) && !options.DryRun)
            {
                throw new SlackExportException($"{newHumans.Count} people need new accounts ({string.Join(", ", newHumans.Take(5))}{(newHumans.Count > 5 ? ", ..." : "")}), which takes the registration shared secret: give --shared-secret-file (or $DENDRITE_REGISTRATION_SHARED_SECRET), or map them to existing accounts with --map");
            }

            var existing = await ReadRecordAsync(plan.BotUserId, cancellationToken).ConfigureAwait(false);
            plan = plan with
            {
                People = people,
                Conversations = [.. plan.Conversations.Select(c => existing.Rooms.TryGetValue(c.Conversation.Id, out var room)
                    ? c with { RoomId = room.RoomId, MessagesAlreadyImported = c.Conversation.Messages.Count(m => m.Kind != SlackMessageKind.Skipped && room.Anchors.ContainsKey(m.Ts)) }
                    : c)],
            };

            var report = new ImportReport(plan, options.DryRun);
            if (options.DryRun)
            {
                return report;
            }

            await new Run(this, plan, source, options, existing, report).WriteAsync(cancellationToken).ConfigureAwait(false);
            report.RateLimitWaits = _client.RateLimitWaits;
            return report;
        }
        finally
        {
            // Dendrite also made the as_token the access token of the bot's device; revoke it on every run (dry runs
            // and failures included), so the token dies with the registration.
            try
            {
                await _client.RevokeSenderDeviceAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is MatrixApiException or HttpRequestException or TaskCanceledException)
            {
                _progress.WriteLine($"warning: could not log out the import bot's device, whose access token is the import token ({e.Message}); turn Import:Enabled off and restart, then sign it out with POST /_matrix/client/v3/logout and the token");
            }
        }
    }

    /// <summary>The import's rooms (by Slack channel id) and their records, read from the bot's joined rooms.</summary>
    private async Task<ExistingImport> ReadRecordAsync(string bot, CancellationToken cancellationToken)
    {
        var result = new ExistingImport();
        foreach (var roomId in await _client.JoinedRoomsAsync(bot, cancellationToken).ConfigureAwait(false))
        {
            if (await _client.GetStateAsync(roomId, ImportRecord.WorkspaceState, "", bot, cancellationToken).ConfigureAwait(false) is not null)
            {
                result.SpaceId ??= roomId;
                continue;
            }

            if (await _client.GetStateAsync(roomId, ImportRecord.ProgressState, "", bot, cancellationToken).ConfigureAwait(false) is not null)
            {
                result.ProgressRoomId ??= roomId;
                continue;
            }

            if (await _client.GetStateAsync(roomId, ImportRecord.ConversationState, "", bot, cancellationToken).ConfigureAwait(false) is not { } marker
                || !marker.TryGetProperty("channel_id", out var channel) || channel.GetString() is not { } channelId)
            {
                continue; // Not a room this import created: never touched.
            }

            var room = new ExistingRoom(roomId);
            await foreach (var e in _client.TimelineAsync(roomId, bot, cancellationToken).ConfigureAwait(false))
            {
                if (ImportRecord.Read(e) is { } record)
                {
                    room.Keys[record.Key] = record.EventId;
                    if (record.AnchorTs is { } ts)
                    {
                        room.Anchors[ts] = record.EventId;
                    }
                }
            }

            result.Rooms[channelId] = room;
        }

        return result;
    }

    private sealed class ExistingImport
    {
        public string? SpaceId { get; set; }
        public string? ProgressRoomId { get; set; }
        public Dictionary<string, ExistingRoom> Rooms { get; } = new(StringComparer.Ordinal);
    }

    private sealed class ExistingRoom(string roomId)
    {
        public string RoomId { get; } = roomId;
        public Dictionary<string, string> Keys { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, string> Anchors { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>One import's writes.</summary>
    private sealed class Run(SlackImporter owner, ImportPlan plan, ExportSource source, SlackImportOptions options, ExistingImport existing, ImportReport report)
    {
        private const string InitialTs = "initial";
        private readonly AppServiceClient _client = owner._client;
        private readonly Dictionary<string, ExistingRoom> _rooms = existing.Rooms;
        private readonly Dictionary<string, ConversationKind> _kinds = plan.Conversations.ToDictionary(c => c.Conversation.Id, c => c.Conversation.Kind, StringComparer.Ordinal);
        private MrkdwnConverter? _converter;
        private string? _progressRoomId = existing.ProgressRoomId;
        private string Watcher => $"@{ImportRecord.WatcherLocalpart}:{plan.ServerName}";
        internal ImportPlan Plan => plan;
        internal ExportSource Source => source;
        internal ImportReport Report => report;
        internal SlackImportOptions Options => options;
        private string Bot => plan.BotUserId;
        private string Server => plan.ServerName;

        public async Task WriteAsync(CancellationToken cancellationToken)
        {
            await CreateAccountsAsync(cancellationToken).ConfigureAwait(false);

            // Imported history notifies nobody (ImportRecord.HistoryRuleId), from the Space's first invite on.
            foreach (var userId in plan.People.Values.Select(p => p.UserId).Append(plan.AdminUserId).Append(Bot).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                await _client.PutHistoryRuleAsync(userId, cancellationToken).ConfigureAwait(false);
            }
            var firstTs = plan.Conversations.Select(c => CreatedMs(c.Conversation)).DefaultIfEmpty(0).Min();
            var spaceId = existing.SpaceId ?? await CreateSpaceAsync(firstTs, cancellationToken).ConfigureAwait(false);
            report.SpaceId = spaceId;
            foreach (var c in plan.Conversations.Where(c => !_rooms.ContainsKey(c.Conversation.Id)))
            {
                var roomId = await CreateRoomAsync(c.Conversation, spaceId, cancellationToken).ConfigureAwait(false);
                _rooms[c.Conversation.Id] = new ExistingRoom(roomId);
                owner._progress.WriteLine($"Created room {roomId} for {ImportPlan.Describe(c.Conversation.Kind)} {c.Conversation.Name}.");
            }

            _converter = new MrkdwnConverter(MentionOf, RoomOf);

            // Conversations are independent: order matters only inside a room (each room's writer awaits every event
            // before the next, so thread roots precede their replies and reactions their message). With Parallelism above
            // one, several rooms are written side by side; the report keeps the plan's order. Every writer keeps pace
            // with Dendrite's user API (one pacer for the whole import) and its room's sync API (one per room).
            var reports = plan.Conversations.Select(c => new ConversationReport(c.Conversation, _rooms[c.Conversation.Id].RoomId)).ToList();
            report.Conversations.AddRange(reports);
            using var userApi = new UserApiPacer(PostProgressAsync, ProgressHandledAsync, progress: owner._progress.WriteLine);
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism), CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(Enumerable.Range(0, reports.Count), parallel, async (i, token) =>
                await WriteConversationAsync(reports[i], userApi, token).ConfigureAwait(false)).ConfigureAwait(false);
            await userApi.CaughtUpAsync(cancellationToken).ConfigureAwait(false);
            report.UserApiWaits = userApi.Waits;
            report.UserApiWaited = userApi.Waited;

            await WriteDirectAsync(cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Posts a progress line into the progress room (made on the first line: the watcher's account, the room, its join).</summary>
        private async Task<string> PostProgressAsync(long events, CancellationToken cancellationToken)
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            if (_progressRoomId is null)
            {
                if (!(await _client.ProfileAsync(Watcher, Bot, cancellationToken).ConfigureAwait(false)).Exists)
                {
                    await _client.RegisterBotAsync(ImportRecord.WatcherLocalpart, cancellationToken).ConfigureAwait(false);
                    await _client.SetDisplayNameAsync(Watcher, "Slack import (progress)", cancellationToken).ConfigureAwait(false);
                }

                var request = new JsonObject
                {
                    ["preset"] = "private_chat",
                    ["visibility"] = "private",
                    ["name"] = "Slack import progress",
                    ["topic"] = "The Slack import's progress lines; its pace follows them. Not part of the imported history.",
                    ["initial_state"] = new JsonArray(State(ImportRecord.ProgressState, "", new JsonObject { ["watcher"] = Watcher })),
                    ["invite"] = new JsonArray(Watcher),
                };
                var roomId = await _client.CreateRoomAsync(request, Bot, now, cancellationToken).ConfigureAwait(false);
                await _client.SetStateAsync(roomId, "m.room.member", Watcher, new JsonObject { ["membership"] = "join" }, Watcher, now, cancellationToken).ConfigureAwait(false);
                _progressRoomId = roomId;
            }

            // m.text, not m.notice: the server's default rules keep notices from notifying.
            var content = new JsonObject { ["msgtype"] = "m.text", ["body"] = $"{events:N0} events written" };
            return await _client.SendAsync(_progressRoomId, "m.room.message", content, "progress-" + Guid.NewGuid().ToString("N"), Bot, now, cancellationToken).ConfigureAwait(false);
        }

        private async Task<bool> ProgressHandledAsync(string line, CancellationToken cancellationToken)
        {
            if (!await _client.NotifiedAsync(line, Watcher, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            await _client.SetFullyReadAsync(_progressRoomId!, line, Watcher, cancellationToken).ConfigureAwait(false);
            return true;
        }

        private MentionTarget? MentionOf(string slackId) =>
            plan.People.TryGetValue(slackId, out var p) ? new MentionTarget(p.UserId, p.DisplayName) : null;

        private RoomTarget? RoomOf(string channelId) =>
            _rooms.TryGetValue(channelId, out var room) && plan.Conversations.FirstOrDefault(c => c.Conversation.Id == channelId) is { } c
                ? new RoomTarget(room.RoomId, c.Conversation.Name)
                : null;

        private async Task CreateAccountsAsync(CancellationToken cancellationToken)
        {
            var admin = new DendriteAdminClient(owner._http);
            foreach (var person in plan.People.Values.Where(p => !p.Exists).OrderBy(p => p.UserId, StringComparer.Ordinal))
            {
                if (person.IsBot)
                {
                    await _client.RegisterBotAsync(person.UserName.Value, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    // A password nobody knows: the admin hands the account over with reset-password or an invite.
                    var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
                    await admin.RegisterWithSharedSecretAsync(options.SharedSecret!, person.UserName.Value, password, admin: false, cancellationToken).ConfigureAwait(false);
                }

                await _client.SetDisplayNameAsync(person.UserId, person.DisplayName, cancellationToken).ConfigureAwait(false);
                report.AccountsCreated.Add(person.UserId);
                owner._progress.WriteLine($"Created {(person.IsBot ? "bot " : "")}account {person.UserId} for {person.SlackName}.");
            }
        }

        private async Task<string> CreateSpaceAsync(long ts, CancellationToken cancellationToken)
        {
            var request = new JsonObject
            {
                ["name"] = plan.SpaceName,
                ["preset"] = "private_chat",
                ["visibility"] = "private",
                ["creation_content"] = new JsonObject { ["type"] = "m.space" },
                ["initial_state"] = new JsonArray(State(ImportRecord.WorkspaceState, "", new JsonObject { ["name"] = plan.SpaceName })),
                ["power_level_content_override"] = PowerLevels(direct: false),
            };
            var spaceId = await _client.CreateRoomAsync(request, Bot, ts, cancellationToken).ConfigureAwait(false);
            await _client.SetStateAsync(spaceId, "m.room.member", plan.AdminUserId, new JsonObject { ["membership"] = "invite", [ImportRecord.HistoryKey] = ImportRecord.HistoryValue }, Bot, ts, cancellationToken).ConfigureAwait(false);
            await _client.SetStateAsync(spaceId, "m.room.member", plan.AdminUserId, new JsonObject { ["membership"] = "join", [ImportRecord.HistoryKey] = ImportRecord.HistoryValue }, plan.AdminUserId, ts, cancellationToken).ConfigureAwait(false);
            report.EventsWritten += 2;
            owner._progress.WriteLine($"Created space {spaceId} \"{plan.SpaceName}\".");
            return spaceId;
        }

        private async Task<string> CreateRoomAsync(SlackConversation conversation, string spaceId, CancellationToken cancellationToken)
        {
            var marker = new JsonObject { ["channel_id"] = conversation.Id, ["kind"] = conversation.Kind.ToString(), ["name"] = conversation.Name };
            var initial = new JsonArray(
                State(ImportRecord.ConversationState, "", marker),
                State("m.space.parent", spaceId, new JsonObject { ["via"] = new JsonArray(Server), ["canonical"] = true }));
            if (conversation.Purpose is { } purpose)
            {
                initial.Add(State(ImportRecord.PurposeState, "", new JsonObject { ["purpose"] = purpose }));
            }

            var request = new JsonObject
            {
                ["preset"] = conversation.Kind == ConversationKind.Channel ? "public_chat" : "private_chat",
                ["visibility"] = "private",
                ["initial_state"] = initial,
                ["power_level_content_override"] = PowerLevels(conversation.IsDirect),
            };
            if (!conversation.IsDirect)
            {
                request["name"] = conversation.Name;
            }

            if ((conversation.Topic ?? conversation.Purpose) is { } topic)
            {
                request["topic"] = topic;
            }

            if (conversation.IsDirect)
            {
                request["is_direct"] = true;
            }

            var ts = CreatedMs(conversation);
            var roomId = await _client.CreateRoomAsync(request, Bot, ts, cancellationToken).ConfigureAwait(false);
            await _client.SetStateAsync(spaceId, "m.space.child", roomId, new JsonObject { ["via"] = new JsonArray(Server) }, Bot, ts, cancellationToken).ConfigureAwait(false);
            report.EventsWritten += 2;
            return roomId;
        }

        private JsonObject PowerLevels(bool direct)
        {
            var levels = new JsonObject { ["users"] = new JsonObject { [Bot] = 100, [plan.AdminUserId] = 100 } };
            if (!direct)
            {
                // Slack lets every member change a channel's name, topic and purpose: so do these rooms.
                levels["events"] = new JsonObject { ["m.room.name"] = 0, ["m.room.topic"] = 0, [ImportRecord.PurposeState] = 0 };
            }

            return levels;
        }

        private async Task WriteConversationAsync(ConversationReport roomReport, UserApiPacer userApi, CancellationToken cancellationToken)
        {
            var conversation = roomReport.Conversation;
            var room = _rooms[conversation.Id];
            var joined = await _client.JoinedMembersAsync(room.RoomId, Bot, cancellationToken).ConfigureAwait(false);
            var where = $"{ImportPlan.Describe(conversation.Kind)} {conversation.Name} ({room.RoomId})";
            var pacer = new HistoryPacer((eventId, token) => _client.IsVisibleAsync(room.RoomId, eventId, Bot, token), where, progress: owner._progress.WriteLine);
            var writer = new ConversationWriter(this, conversation, room, joined, pacer, userApi);

            await WriteMessagesAsync(conversation, roomReport, writer, cancellationToken).ConfigureAwait(false);
            // The room's history is visible (and on record for the next run) before the room counts as done.
            await pacer.CaughtUpAsync(cancellationToken).ConfigureAwait(false);
            report.AddSyncApiWaits(pacer.Waits, pacer.Waited);
        }

        private async Task WriteMessagesAsync(SlackConversation conversation, ConversationReport roomReport, ConversationWriter writer, CancellationToken cancellationToken)
        {
            // Everyone in the conversation at export time who has no join of their own in the history joins at its start.
            var joinedLater = conversation.Messages.Where(m => m.Kind == SlackMessageKind.Join).Select(m => m.Author).ToHashSet(StringComparer.Ordinal);
            var initial = new List<string> { plan.AdminUserId };
            initial.AddRange(conversation.Members.Where(m => !joinedLater.Contains(m) && plan.People.ContainsKey(m)).Select(m => plan.People[m].UserId));
            foreach (var userId in initial.Distinct(StringComparer.Ordinal))
            {
                await writer.JoinAsync(userId, InitialTs, CreatedMs(conversation), cancellationToken).ConfigureAwait(false);
            }

            var done = 0;
            foreach (var message in conversation.Messages)
            {
                await writer.WriteAsync(message, roomReport, cancellationToken).ConfigureAwait(false);
                if (++done % 500 == 0)
                {
                    owner._progress.WriteLine($"  {conversation.Name}: {done}/{conversation.Messages.Count} messages");
                }
            }

            owner._progress.WriteLine($"{ImportPlan.Describe(conversation.Kind)} {conversation.Name}: {roomReport.Imported} imported, {roomReport.AlreadyImported} already imported, {roomReport.Skipped.Values.Sum()} skipped.");
        }

        /// <summary>Adds each DM room to <c>m.direct</c> of its people (bots excluded), writing only what is missing.</summary>
        private async Task WriteDirectAsync(CancellationToken cancellationToken)
        {
            var direct = new Dictionary<string, Dictionary<string, HashSet<string>>>(StringComparer.Ordinal);
            foreach (var c in plan.Conversations.Where(c => c.Conversation.IsDirect))
            {
                var humans = c.Conversation.Members.Where(m => plan.People.TryGetValue(m, out var p) && !p.IsBot).Select(m => plan.People[m].UserId).Distinct(StringComparer.Ordinal).ToList();
                foreach (var me in humans)
                {
                    foreach (var other in humans.Where(o => o != me))
                    {
                        var mine = direct.TryGetValue(me, out var d) ? d : direct[me] = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
                        (mine.TryGetValue(other, out var rooms) ? rooms : mine[other] = new HashSet<string>(StringComparer.Ordinal)).Add(_rooms[c.Conversation.Id].RoomId);
                    }
                }
            }

            foreach (var (userId, wanted) in direct)
            {
                var current = await _client.GetAccountDataAsync(userId, "m.direct", cancellationToken).ConfigureAwait(false);
                var changed = false;
                foreach (var (other, rooms) in wanted)
                {
                    var list = current[other] as JsonArray ?? [];
                    foreach (var roomId in rooms.Where(r => !list.Any(x => x?.GetValue<string>() == r)))
                    {
                        list.Add(roomId);
                        changed = true;
                    }

                    current[other] = list.DeepClone();
                }

                if (changed)
                {
                    await _client.PutAccountDataAsync(userId, "m.direct", current, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        private static JsonObject State(string type, string stateKey, JsonObject content) =>
            new() { ["type"] = type, ["state_key"] = stateKey, ["content"] = content };

        private static long CreatedMs(SlackConversation conversation)
        {
            var first = conversation.Messages.Count > 0 ? conversation.Messages[0].TimestampMs : long.MaxValue;
            var created = conversation.Created > 0 ? conversation.Created * 1000 : first;
            return Math.Min(created, first == long.MaxValue ? created : first - 1);
        }

        /// <summary>Writes one conversation's messages, in order, part by part, skipping parts already recorded.</summary>
        private sealed class ConversationWriter(Run run, SlackConversation conversation, ExistingRoom room, IReadOnlySet<string> joined, HistoryPacer pacer, UserApiPacer userApi)
        {
            private readonly HashSet<string> _joined = [.. joined];
            private readonly Dictionary<string, string> _lastInThread = new(StringComparer.Ordinal);
            private readonly HashSet<string> _threadRoots = conversation.Messages.Where(m => m.IsThreadReply).Select(m => m.ThreadTs!).ToHashSet(StringComparer.Ordinal);
            private bool InviteOnly => conversation.Kind != ConversationKind.Channel;

            public async Task WriteAsync(SlackMessage message, ConversationReport report, CancellationToken cancellationToken)
            {
                await userApi.KeepUpAsync(cancellationToken).ConfigureAwait(false);
                await pacer.KeepUpAsync(cancellationToken).ConfigureAwait(false);
                if (message.Kind == SlackMessageKind.Skipped)
                {
                    report.Skip(message.Detail ?? "not a message");
                    return;
                }

                var wasThere = room.Anchors.ContainsKey(message.Ts);
                var wrote = message.Kind switch
                {
                    SlackMessageKind.Join => await JoinAsync(UserOf(message.Author!), message.Ts, message.TimestampMs, cancellationToken, part: "").ConfigureAwait(false),
                    SlackMessageKind.Leave => await LeaveAsync(message, cancellationToken).ConfigureAwait(false),
                    SlackMessageKind.TopicChange => await StateChangeAsync(message, "m.room.topic", new JsonObject { ["topic"] = message.Detail }, cancellationToken).ConfigureAwait(false),
                    SlackMessageKind.PurposeChange => await StateChangeAsync(message, ImportRecord.PurposeState, new JsonObject { ["purpose"] = message.Detail }, cancellationToken).ConfigureAwait(false),
                    SlackMessageKind.NameChange when !conversation.IsDirect => await StateChangeAsync(message, "m.room.name", new JsonObject { ["name"] = message.Detail }, cancellationToken).ConfigureAwait(false),
                    SlackMessageKind.NameChange => false,
                    SlackMessageKind.Tombstone => await TombstoneAsync(message, report, cancellationToken).ConfigureAwait(false),
                    _ => await PostAsync(message, cancellationToken).ConfigureAwait(false),
                };
                if (wasThere)
                {
                    report.AlreadyImported++;
                }
                else if (wrote)
                {
                    report.Imported++;
                }
                else if (message.Kind is SlackMessageKind.Join)
                {
                    report.Skip("joins of people already in the room");
                }
                else if (message.Kind is SlackMessageKind.Leave)
                {
                    report.Skip("leaves of people not in the room");
                }
                else if (message.Kind is SlackMessageKind.NameChange)
                {
                    report.Skip("name changes of DMs");
                }
            }

            private string UserOf(string slackId) => run.Plan.People[slackId].UserId;

            /// <summary>Joins <paramref name="userId"/> (invited first where the room is invite-only) unless already in.</summary>
            public async Task<bool> JoinAsync(string userId, string ts, long ms, CancellationToken cancellationToken, string? part = null)
            {
                part ??= "join/" + userId;
                if (_joined.Contains(userId) || room.Keys.ContainsKey(ImportRecord.Key(ts, part)))
                {
                    _joined.Add(userId);
                    return false;
                }

                if (InviteOnly && userId != run.Bot)
                {
                    var invitePart = "invite/" + userId;
                    if (!room.Keys.ContainsKey(ImportRecord.Key(ts, invitePart)))
                    {
                        var invite = new JsonObject { ["membership"] = "invite", [ImportRecord.ContentKey] = ImportRecord.Marker(conversation.Id, ts, invitePart, anchor: false), [ImportRecord.HistoryKey] = ImportRecord.HistoryValue };
                        if (conversation.IsDirect)
                        {
                            invite["is_direct"] = true;
                        }

                        await Write(ts, invitePart, run._client.SetStateAsync(room.RoomId, "m.room.member", userId, invite, run.Bot, ms, cancellationToken)).ConfigureAwait(false);
                    }
                }

                var content = new JsonObject { ["membership"] = "join", [ImportRecord.ContentKey] = ImportRecord.Marker(conversation.Id, ts, part, anchor: part.Length == 0), [ImportRecord.HistoryKey] = ImportRecord.HistoryValue };
                if (run.Plan.People.Values.FirstOrDefault(p => p.UserId == userId) is { } person)
                {
                    content["displayname"] = person.DisplayName;
                }

                await Write(ts, part, run._client.SetStateAsync(room.RoomId, "m.room.member", userId, content, userId, ms, cancellationToken)).ConfigureAwait(false);
                _joined.Add(userId);
                return true;
            }

            private async Task<bool> LeaveAsync(SlackMessage message, CancellationToken cancellationToken)
            {
                var userId = UserOf(message.Author!);
                if (room.Keys.ContainsKey(ImportRecord.Key(message.Ts, "")) || !_joined.Contains(userId))
                {
                    return false;
                }

                var content = new JsonObject { ["membership"] = "leave", [ImportRecord.ContentKey] = ImportRecord.Marker(conversation.Id, message.Ts, "", anchor: true), [ImportRecord.HistoryKey] = ImportRecord.HistoryValue };
                await Write(message.Ts, "", run._client.SetStateAsync(room.RoomId, "m.room.member", userId, content, userId, message.TimestampMs, cancellationToken)).ConfigureAwait(false);
                _joined.Remove(userId);
                return true;
            }

            private async Task<bool> StateChangeAsync(SlackMessage message, string type, JsonObject content, CancellationToken cancellationToken)
            {
                if (room.Keys.ContainsKey(ImportRecord.Key(message.Ts, "")))
                {
                    return false;
                }

                var userId = UserOf(message.Author!);
                await JoinAsync(userId, message.Ts, message.TimestampMs, cancellationToken).ConfigureAwait(false);
                content[ImportRecord.ContentKey] = ImportRecord.Marker(conversation.Id, message.Ts, "", anchor: true);
                content[ImportRecord.HistoryKey] = ImportRecord.HistoryValue;
                await Write(message.Ts, "", run._client.SetStateAsync(room.RoomId, type, "", content, userId, message.TimestampMs, cancellationToken)).ConfigureAwait(false);
                return true;
            }

            private async Task<bool> TombstoneAsync(SlackMessage message, ConversationReport report, CancellationToken cancellationToken)
            {
                if (!_threadRoots.Contains(message.Ts))
                {
                    report.Skip("deleted in Slack");
                    return false;
                }

                return await NoticeAsync(message.Ts, message.TimestampMs, "(message deleted in Slack)", cancellationToken).ConfigureAwait(false);
            }

            /// <summary>A notice by the import bot that stands for a thread root the export does not have.</summary>
            private async Task<bool> NoticeAsync(string ts, long ms, string text, CancellationToken cancellationToken)
            {
                const string part = "notice";
                if (room.Keys.ContainsKey(ImportRecord.Key(ts, part)))
                {
                    return false;
                }

                var content = new JsonObject { ["msgtype"] = "m.notice", ["body"] = text, ["m.mentions"] = new JsonObject(), [ImportRecord.ContentKey] = ImportRecord.Marker(conversation.Id, ts, part, anchor: true), [ImportRecord.HistoryKey] = ImportRecord.HistoryValue };
                var id = await Write(ts, part, run._client.SendAsync(room.RoomId, "m.room.message", content, TxnId(ts, part), run.Bot, ms, cancellationToken)).ConfigureAwait(false);
                room.Anchors[ts] = id;
                return true;
            }

            private async Task<bool> PostAsync(SlackMessage message, CancellationToken cancellationToken)
            {
                var author = UserOf(message.Author!);
                var wrote = false;
                JsonObject? thread = null;
                if (message.IsThreadReply)
                {
                    if (!room.Anchors.ContainsKey(message.ThreadTs!))
                    {
                        // The root is not in the export (older than its date range): a notice keeps the thread together.
                        wrote |= await NoticeAsync(message.ThreadTs!, SlackTs.ToMilliseconds(message.ThreadTs!), "(the start of this thread is not in the Slack export)", cancellationToken).ConfigureAwait(false);
                    }

                    var root = room.Anchors[message.ThreadTs!];
                    thread = new JsonObject
                    {
                        ["rel_type"] = "m.thread",
                        ["event_id"] = root,
                        ["is_falling_back"] = true,
                        ["m.in_reply_to"] = new JsonObject { ["event_id"] = _lastInThread.GetValueOrDefault(message.ThreadTs!, root) },
                    };
                }

                await JoinAsync(author, message.Ts, message.TimestampMs, cancellationToken).ConfigureAwait(false);
                var hasText = !string.IsNullOrWhiteSpace(message.Text) || message.Files.Count == 0;
                if (hasText)
                {
                    const string part = "text";
                    if (!room.Keys.TryGetValue(ImportRecord.Key(message.Ts, part), out var id))
                    {
                        var text = run._converter!.Convert(message.Text.Length > 0 ? message.Text : "(empty message)");
                        var content = new JsonObject
                        {
                            ["msgtype"] = message.Kind switch { SlackMessageKind.Emote => "m.emote", SlackMessageKind.Bot => "m.notice", _ => "m.text" },
                            ["body"] = text.Body,
                            ["m.mentions"] = new JsonObject(),
                            [ImportRecord.ContentKey] = ImportRecord.Marker(conversation.Id, message.Ts, part, anchor: true), [ImportRecord.HistoryKey] = ImportRecord.HistoryValue,
                        };
                        if (text.FormattedBody is { } html)
                        {
                            content["format"] = "org.matrix.custom.html";
                            content["formatted_body"] = html;
                        }

                        if (thread is not null)
                        {
                            content["m.relates_to"] = thread.DeepClone();
                        }

                        id = await Write(message.Ts, part, run._client.SendAsync(room.RoomId, "m.room.message", content, TxnId(message.Ts, part), author, message.TimestampMs, cancellationToken)).ConfigureAwait(false);
                        wrote = true;
                    }

                    room.Anchors.TryAdd(message.Ts, id);
                }

                foreach (var file in message.Files)
                {
                    var part = "file/" + file.Id;
                    if (!room.Keys.TryGetValue(ImportRecord.Key(message.Ts, part), out var id))
                    {
                        var content = await FileContentAsync(file, author, cancellationToken).ConfigureAwait(false);
                        content["m.mentions"] = new JsonObject();
                        content[ImportRecord.ContentKey] = ImportRecord.Marker(conversation.Id, message.Ts, part, anchor: !room.Anchors.ContainsKey(message.Ts));
                        content[ImportRecord.HistoryKey] = ImportRecord.HistoryValue;
                        if (thread is not null)
                        {
                            content["m.relates_to"] = thread.DeepClone();
                        }

                        id = await Write(message.Ts, part, run._client.SendAsync(room.RoomId, "m.room.message", content, TxnId(message.Ts, part), author, message.TimestampMs, cancellationToken)).ConfigureAwait(false);
                        wrote = true;
                    }

                    room.Anchors.TryAdd(message.Ts, id);
                }

                if (message.IsThreadReply)
                {
                    _lastInThread[message.ThreadTs!] = room.Anchors[message.Ts];
                }

                foreach (var reaction in message.Reactions)
                {
                    foreach (var reactor in reaction.Users)
                    {
                        var userId = UserOf(reactor);
                        var part = $"reaction/{reaction.Name}/{reactor}";
                        if (room.Keys.ContainsKey(ImportRecord.Key(message.Ts, part)))
                        {
                            continue;
                        }

                        await JoinAsync(userId, message.Ts, message.TimestampMs, cancellationToken).ConfigureAwait(false);
                        var content = new JsonObject
                        {
                            ["m.relates_to"] = new JsonObject { ["rel_type"] = "m.annotation", ["event_id"] = room.Anchors[message.Ts], ["key"] = Emoji.ForReaction(reaction.Name) },
                            [ImportRecord.ContentKey] = ImportRecord.Marker(conversation.Id, message.Ts, part, anchor: false), [ImportRecord.HistoryKey] = ImportRecord.HistoryValue,
                        };
                        await Write(message.Ts, part, run._client.SendAsync(room.RoomId, "m.reaction", content, TxnId(message.Ts, part), userId, message.TimestampMs, cancellationToken)).ConfigureAwait(false);
                        wrote = true;
                    }
                }

                return wrote;
            }

            private async Task<JsonObject> FileContentAsync(SlackFile file, string author, CancellationToken cancellationToken)
            {
                byte[] bytes;
                var mimeType = file.MimeType;
                var link = file.Url is null ? "no link" : SlackFileFetcher.Redact(file.Url);
                if (file.LocalPath is not null)
                {
                    bytes = run.Source.ReadAllBytes(file.LocalPath);
                }
                else if (run.Options.FetchFiles is { } fetcher && file.Url is not null)
                {
                    var fetched = await fetcher.FetchAsync(file.Url, file.MimeType, cancellationToken).ConfigureAwait(false);
                    if (fetched.Bytes is null)
                    {
                        run.Report.AddFetchFailed($"{conversation.Name}: {file.Name} ({link}): {fetched.Failure}");
                        return new JsonObject { ["msgtype"] = "m.notice", ["body"] = $"(file not in the Slack export and not fetched: {file.Name})" };
                    }

                    bytes = fetched.Bytes;
                    run.Report.AddFetched($"{conversation.Name}: {file.Name} ({bytes.LongLength} bytes)");
                }
                else
                {
                    run.Report.AddFileWithoutBytes($"{conversation.Name}: {file.Name} ({link})");
                    return new JsonObject { ["msgtype"] = "m.notice", ["body"] = $"(file not in the Slack export: {file.Name})" };
                }

                var url = await run._client.UploadAsync(bytes, mimeType, file.Name, author, cancellationToken).ConfigureAwait(false);
                run.Report.CountUpload();
                var msgtype = mimeType.Split('/')[0] switch { "image" => "m.image", "video" => "m.video", "audio" => "m.audio", _ => "m.file" };
                return new JsonObject
                {
                    ["msgtype"] = msgtype,
                    ["body"] = file.Name,
                    ["filename"] = file.Name,
                    ["url"] = url,
                    ["info"] = new JsonObject { ["mimetype"] = mimeType, ["size"] = bytes.LongLength },
                };
            }

            private async Task<string> Write(string ts, string part, Task<string> send)
            {
                var id = await send.ConfigureAwait(false);
                room.Keys[ImportRecord.Key(ts, part)] = id;
                pacer.Written(id);
                userApi.Written();
                run.Report.CountEvent();
                return id;
            }

            /// <summary>Stable per part, so a retried request inside Dendrite's transaction window is answered, not repeated.</summary>
            private string TxnId(string ts, string part) =>
                "slack-" + Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(conversation.Id + "/" + ts + "/" + part)))[..32].ToLower(CultureInfo.InvariantCulture);
        }
    }
}
