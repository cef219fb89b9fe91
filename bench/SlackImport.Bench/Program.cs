using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DendriteAspire.Admin.Accounts;
using DendriteAspire.Admin.Matrix;
using DendriteAspire.ConfigRenderer.Layout;
using DendriteAspire.ConfigRenderer.Rendering;
using DendriteAspire.ConfigRenderer.Settings;
using DendriteAspire.Integration.Tests;
using DendriteAspire.SlackImport.Bench;
using DendriteAspire.SlackImport.Export;
using DendriteAspire.SlackImport.Writing;

// Starts a bare Dendrite v0.15.2 (the product's rendered config with Import:Enabled; SQLite, or with --postgres a
// postgres:18.3 beside it in one pod, as the AppHost's Database:Provider=Postgres renders it), imports a synthetic
// export, then sends the same number of messages with a plain PUT /send loop and one admin token into fresh rooms.
// Usage: [messages] [--parallel N] [--postgres] (default 100000 messages, the importer's default parallelism, SQLite).
// The floor is split around the import: half its channels before, half after, so both see the same machine.
var positional = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (i == 0 || args[i - 1] is not ("--parallel" or "--floor-rate"))).ToList();
var messages = positional.Count > 0 ? int.Parse(positional[0], CultureInfo.InvariantCulture) : 100_000;
var parallelIndex = Array.IndexOf(args, "--parallel");
var parallelism = parallelIndex >= 0 ? int.Parse(args[parallelIndex + 1], CultureInfo.InvariantCulture) : SlackImportOptions.DefaultParallelism;
var postgres = args.Contains("--postgres");
// --floor-members: the floor's rooms get the same membership as the imported channels (every person of the export
// joins, as the importer joins them), so Dendrite does the same per-member work (push rules, notifications) for both.
var floorMembers = args.Contains("--floor-members");
// --floor-rate R: no floor phases; compare with a floor of R msg/s measured earlier by this bench with the same
// export size on the same machine (the output says so). For a rerun of the import alone at a size whose floor takes
// most of an hour (100,000 messages: 44 minutes).
var floorRateIndex = Array.IndexOf(args, "--floor-rate");
double? givenFloorRate = floorRateIndex >= 0 ? double.Parse(args[floorRateIndex + 1], CultureInfo.InvariantCulture) : null;
var runtime = new ContainerRuntime(Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME") ?? "podman");
const string Image = "docker.io/matrixdotorg/dendrite-monolith:v0.15.2";
const string PostgresImage = "docker.io/library/postgres:18.3";
var id = Guid.NewGuid().ToString("N")[..8];
var work = Directory.CreateTempSubdirectory("slack-bench-dendrite-").FullName;
var token = "bench-import-token-" + Guid.NewGuid().ToString("N");
var secret = "bench-shared-secret-" + Guid.NewGuid().ToString("N");
var name = $"slack-bench-{id}";
var timeout = TimeSpan.FromMinutes(5);
string? export = null;
try
{
    // Postgres mode: one pod (shared loopback) holds postgres and Dendrite; only Dendrite's port is published.
    var databasePassword = "bench-db-" + Guid.NewGuid().ToString("N");
    var settings = new DendriteSettings
    {
        ServerName = "localhost",
        Registration = { SharedSecret = secret },
        Import = { Enabled = true, Token = token },
        Database = postgres
            ? new DatabaseSettings { Provider = DatabaseProvider.Postgres, ConnectionString = $"postgres://postgres:{databasePassword}@127.0.0.1:5432/dendrite?sslmode=disable" }
            : new DatabaseSettings(),
    };
    var rendered = DendriteConfigRenderer.Render(settings);
    var config = Path.Combine(work, "config");
    Directory.CreateDirectory(config);
    File.WriteAllText(Path.Combine(config, DendritePaths.ConfigFileName), rendered.Yaml);
    File.WriteAllText(Path.Combine(config, DendritePaths.ImportRegistrationFileName), rendered.ImportRegistrationYaml);
    foreach (var dir in new[] { "dendrite", "sqlite" })
    {
        Directory.CreateDirectory(Path.Combine(work, dir));
    }

    string[] mounts = ["-v", $"{config}:{DendritePaths.ConfigDirectory}:ro", "-v", $"{Path.Combine(work, "dendrite")}:/var/dendrite", "-v", $"{Path.Combine(work, "sqlite")}:/var/sqlite"];
    var keys = await runtime.RunAsync(timeout, CancellationToken.None, ["run", "--rm", .. mounts, "--entrypoint", "/bin/sh", Image, "-c",
        $"mkdir -p {DendritePaths.StorageKeys} {DendritePaths.Sqlite} && /usr/bin/generate-keys -private-key {DendritePaths.SigningKey}"]);
    if (!keys.Succeeded)
    {
        throw new InvalidOperationException("generate-keys: " + keys.FirstErrorLine);
    }

    var port = FreePort();
    string[] network = ["-p", $"127.0.0.1:{port}:8008"];
    if (postgres)
    {
        var pod = await runtime.RunAsync(timeout, CancellationToken.None, "pod", "create", "--name", name + "-pod", "-p", $"127.0.0.1:{port}:8008");
        if (!pod.Succeeded)
        {
            throw new InvalidOperationException("pod create: " + pod.FirstErrorLine);
        }

        network = ["--pod", name + "-pod"];
        var db = await runtime.RunAsync(timeout, CancellationToken.None, "run", "-d", "--name", name + "-postgres", "--pod", name + "-pod",
            "-v", $"{name}-postgres:/var/lib/postgresql", "-e", $"POSTGRES_PASSWORD={databasePassword}", "-e", "POSTGRES_DB=dendrite", PostgresImage);
        if (!db.Succeeded)
        {
            throw new InvalidOperationException("postgres: " + db.FirstErrorLine);
        }

        // The image's init creates the database on a socket-only server, then restarts: ready means a query on the
        // dendrite database over TCP answers, twice a second apart (not in the gap between the two servers).
        var ready = DateTime.UtcNow.AddMinutes(3);
        var answered = 0;
        while (answered < 2)
        {
            var query = await runtime.RunAsync(timeout, CancellationToken.None, "exec", "-e", $"PGPASSWORD={databasePassword}", name + "-postgres",
                "psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "dendrite", "-tAc", "select 1");
            answered = query.Succeeded ? answered + 1 : 0;
            if (answered == 2)
            {
                break;
            }

            if (DateTime.UtcNow > ready)
            {
                throw new TimeoutException("postgres did not accept connections within 3 minutes");
            }

            await Task.Delay(1000);
        }
    }

    var run = await runtime.RunAsync(timeout, CancellationToken.None, ["run", "-d", "--name", name, .. network, .. mounts, Image, "-config", DendritePaths.ConfigFile]);
    if (!run.Succeeded)
    {
        throw new InvalidOperationException("run: " + run.FirstErrorLine);
    }

    var profile = new RequestProfile();
    using var http = new HttpClient(profile) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(2) };
    try
    {
        await WaitForVersionsAsync(http, async () => (await runtime.RunAsync(timeout, CancellationToken.None, "inspect", "-f", "{{.State.Running}}", name)).StandardOutput.Trim() == "true");
    }
    catch (TimeoutException)
    {
        var log = await runtime.RunAsync(timeout, CancellationToken.None, "logs", name);
        var lines = (log.StandardOutput + log.StandardError).Split('\n');
        Console.Error.WriteLine("dendrite log (errors, then last lines):\n" + string.Join('\n', lines.Where(l => l.Contains("level=error", StringComparison.Ordinal) || l.Contains("level=fatal", StringComparison.Ordinal) || l.Contains("level=panic", StringComparison.Ordinal)).Take(10).Concat(lines.TakeLast(10))));
        throw;
    }
    Console.WriteLine($"Dendrite up on {http.BaseAddress}; writing a synthetic export of {messages} messages...");
    export = SyntheticExport.Write(messages);
    var admin = new DendriteAdminClient(http);
    await admin.RegisterWithSharedSecretAsync(secret, "admin", "admin-password-" + id, admin: true);

    // The floor: the same texts, one admin token (admins are never rate limited), PUT /send in a loop, fresh rooms.
    var session = await admin.LoginAsync("admin", "admin-password-" + id);
    var parsed = SlackExportReader.Read(export);
    var half = parsed.Conversations.Count / 2;
    // Dendrite answers a send once the roomserver has the event; its sync and user APIs catch up afterwards (the user
    // API's push consumer reads the roomserver's output one event at a time and evaluates every local member's push
    // rules, so an import into rooms of 13 leaves more behind than a floor into rooms of one). Each phase ends only
    // when a marker sent after it is readable from the sync API's timeline AND has reached the user API: the marker
    // (m.text in a room of two) is a notification for the watcher, and the user API handles events in stream order.
    // So the work a phase leaves behind is counted in that phase, not in the next one.
    var watcher = await admin.RegisterWithSharedSecretAsync(secret, "drainwatch", "drain-password-" + id, admin: false);
    var drainRoom = (await PostAsync(http, session.AccessToken, "/_matrix/client/v3/createRoom",
        new JsonObject { ["preset"] = "private_chat", ["name"] = "drain markers", ["invite"] = new JsonArray(watcher.UserId) })).GetProperty("room_id").GetString()!;
    await PostAsync(http, watcher.AccessToken, $"/_matrix/client/v3/rooms/{Uri.EscapeDataString(drainRoom)}/join", []);
    var drains = 0;
    async Task DrainAsync()
    {
        var marker = (await PutAsync(http, session.AccessToken, $"/_matrix/client/v3/rooms/{Uri.EscapeDataString(drainRoom)}/send/m.room.message/drain-{drains++}",
            new JsonObject { ["msgtype"] = "m.text", ["body"] = "drain" })).GetProperty("event_id").GetString();
        var synced = false;
        while (true)
        {
            if (!synced)
            {
                var latest = (await GetAsync(http, session.AccessToken, $"/_matrix/client/v3/rooms/{Uri.EscapeDataString(drainRoom)}/messages?dir=b&limit=1"))
                    .GetProperty("chunk").EnumerateArray().Select(e => e.GetProperty("event_id").GetString()).FirstOrDefault();
                synced = latest == marker;
            }

            if (synced)
            {
                // Dendrite lists unread notifications oldest first: 100 holds the invite and every marker of a run.
                var notified = (await GetAsync(http, watcher.AccessToken, "/_matrix/client/v3/notifications?limit=100"))
                    .GetProperty("notifications").EnumerateArray().Any(n => n.GetProperty("event").GetProperty("event_id").GetString() == marker);
                if (notified)
                {
                    return;
                }
            }

            await Task.Delay(100);
        }
    }

    await DrainAsync();
    // The floor's people (registered before any timing; the importer's account creation is inside its time).
    var floorPeople = new List<string>();
    if (floorMembers)
    {
        foreach (var person in parsed.Users.Keys.Order(StringComparer.Ordinal))
        {
            var member = (await admin.RegisterWithSharedSecretAsync(secret, "floor-" + person.ToLowerInvariant(), "floor-password-" + id, admin: false)).AccessToken;
            // The importer gives its people an override rule that stops at imported history (ImportRecord.HistoryRuleId,
            // first in the list); the same cost for the floor: the first override rule matches and nothing notifies.
            await PutAsync(http, member, "/_matrix/client/v3/pushrules/global/override/.m.rule.master/enabled", new JsonObject { ["enabled"] = true });
            floorPeople.Add(member);
        }
    }

    var floorTime = TimeSpan.Zero;
    var sent = 0;
    async Task FloorAsync(IEnumerable<SlackConversation> conversations, string label)
    {
        var watch = Stopwatch.StartNew();
        var before = sent;
        foreach (var conversation in conversations)
        {
            var room = await PostAsync(http, session.AccessToken, "/_matrix/client/v3/createRoom", new JsonObject { ["preset"] = "public_chat", ["name"] = "floor " + conversation.Name });
            var roomId = room.GetProperty("room_id").GetString()!;
            foreach (var member in floorPeople)
            {
                await PostAsync(http, member, $"/_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/join", []);
            }

            foreach (var message in conversation.Messages)
            {
                await PutAsync(http, session.AccessToken, $"/_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/send/m.room.message/floor-{sent}",
                    new JsonObject { ["msgtype"] = "m.text", ["body"] = message.Text });
                sent++;
            }
        }

        var sentAt = watch.Elapsed;
        await DrainAsync();
        watch.Stop();
        Console.WriteLine($"  (last send answered at {sentAt.TotalSeconds:0.0} s, drained at {watch.Elapsed.TotalSeconds:0.0} s)");
        floorTime += watch.Elapsed;
        Console.WriteLine($"{Stamp()} floor {label}: {sent - before} messages in {watch.Elapsed.TotalSeconds:0.0} s = {(sent - before) / watch.Elapsed.TotalSeconds:0.00} msg/s; load {Load()}");
    }

    Console.WriteLine($"{Stamp()} start; load {Load()}");
    if (givenFloorRate is null)
    {
        await FloorAsync(parsed.Conversations.Take(half), $"first half ({half} channels)");
    }

    profile.Reset();
    var importWatch = Stopwatch.StartNew();
    var report = await new SlackImporter(http, token, TextWriter.Null).RunAsync(export, new SlackImportOptions { Admin = UserName.Parse("admin"), ServerName = "localhost", SharedSecret = secret, Parallelism = parallelism });
    var importSentAt = importWatch.Elapsed;
    await DrainAsync();
    importWatch.Stop();
    Console.WriteLine($"  (import returned at {importSentAt.TotalSeconds:0.0} s, drained at {importWatch.Elapsed.TotalSeconds:0.0} s)");
    var imported = report.Imported;
    Console.WriteLine($"{Stamp()} import (parallelism {parallelism}): {imported} messages, {report.EventsWritten} events in {importWatch.Elapsed.TotalSeconds:0.0} s = {imported / importWatch.Elapsed.TotalSeconds:0.00} msg/s; load {Load()}");
    Console.WriteLine($"  (the import waited for Dendrite's user API {report.UserApiWaits} times, {report.UserApiWaited.TotalSeconds:0.0} s; writers for its sync API {report.SyncApiWaits} times, {report.SyncApiWaited.TotalSeconds:0.0} s summed over rooms)");
    Console.WriteLine("import requests by kind (count, total time, mean):");
    profile.Print(Console.Out);

    if (givenFloorRate is null)
    {
        await FloorAsync(parsed.Conversations.Skip(half), $"second half ({parsed.Conversations.Count - half} channels)");
    }

    var rerunWatch = Stopwatch.StartNew();
    var rerun = await new SlackImporter(http, token, TextWriter.Null).RunAsync(export, new SlackImportOptions { Admin = UserName.Parse("admin"), ServerName = "localhost", SharedSecret = secret, Parallelism = parallelism });
    rerunWatch.Stop();
    Console.WriteLine($"{Stamp()} second run: {rerun.Imported} imported, {rerun.EventsWritten} events, {rerunWatch.Elapsed.TotalSeconds:0.0} s; load {Load()}");

    var importRate = imported / importWatch.Elapsed.TotalSeconds;
    var floorRate = givenFloorRate ?? sent / floorTime.TotalSeconds;
    Console.WriteLine();
    Console.WriteLine("measurement                         | value");
    Console.WriteLine("------------------------------------|------------------");
    Console.WriteLine($"messages                            | {messages} in {SyntheticExport.Channels} channels over {SyntheticExport.Years} years, {(postgres ? "Postgres" : "SQLite")}");
    Console.WriteLine($"import (msg/s)                      | {importRate:0.00} ({importWatch.Elapsed.TotalSeconds:0.0} s, {report.EventsWritten} events incl. reactions and joins, parallelism {parallelism})");
    Console.WriteLine(givenFloorRate is null
        ? $"floor: PUT /send loop (msg/s)       | {floorRate:0.00} ({sent} messages in {floorTime.TotalSeconds:0.0} s, half before and half after the import; rooms of {1 + floorPeople.Count} members)"
        : $"floor: PUT /send loop (msg/s)       | {floorRate:0.00} (given with --floor-rate: measured earlier, not in this run)");
    Console.WriteLine($"import / floor                      | {importRate / floorRate:P0} per message, {report.EventsWritten / importWatch.Elapsed.TotalSeconds / floorRate:P0} per event (goal >= 80% per message)");
    Console.WriteLine($"second run (s)                      | {rerunWatch.Elapsed.TotalSeconds:0.0}, {rerun.EventsWritten} events written");
    Console.WriteLine($"10-year workspace at 100 msg/day    | {365_250 / importRate / 3600:0.0} h (365,250 messages)");
    return 0;
}
finally
{
    await runtime.RunAsync(TimeSpan.FromMinutes(1), CancellationToken.None, "rm", "-f", name);
    if (postgres)
    {
        await runtime.RunAsync(TimeSpan.FromMinutes(1), CancellationToken.None, "rm", "-f", "-v", name + "-postgres");
        await runtime.RunAsync(TimeSpan.FromMinutes(1), CancellationToken.None, "pod", "rm", "-f", name + "-pod");
        await runtime.RunAsync(TimeSpan.FromMinutes(1), CancellationToken.None, "volume", "rm", "-f", name + "-postgres");
    }
    // The container wrote as root inside its user namespace: remove through it.
    await runtime.RunAsync(TimeSpan.FromMinutes(2), CancellationToken.None, "run", "--rm", "-v", $"{work}:/w", "--entrypoint", "/bin/sh", Image, "-c", "rm -rf /w/*");
    Directory.Delete(work, recursive: true);
    if (export is not null)
    {
        Directory.Delete(export, recursive: true);
    }
}

static string Stamp() => DateTime.UtcNow.ToString("HH:mm:ss", CultureInfo.InvariantCulture);

static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

static async Task WaitForVersionsAsync(HttpClient http, Func<Task<bool>> running)
{
    var deadline = DateTime.UtcNow.AddMinutes(3);
    while (DateTime.UtcNow < deadline)
    {
        try
        {
            using var response = await http.GetAsync(new Uri("/_matrix/client/versions", UriKind.Relative));
            if (response.IsSuccessStatusCode)
            {
                return;
            }
        }
        catch (HttpRequestException)
        {
        }

        if (!await running())
        {
            throw new TimeoutException("Dendrite exited before it answered /_matrix/client/versions");
        }

        await Task.Delay(500);
    }

    throw new TimeoutException("Dendrite did not answer /_matrix/client/versions within 3 minutes");
}

static async Task<JsonElement> GetAsync(HttpClient http, string token, string path)
{
    using var request = new HttpRequestMessage(HttpMethod.Get, path);
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    using var response = await http.SendAsync(request);
    var text = await response.Content.ReadAsStringAsync();
    return response.IsSuccessStatusCode ? JsonDocument.Parse(text).RootElement.Clone() : throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode} {text}");
}

static async Task<JsonElement> PostAsync(HttpClient http, string token, string path, JsonObject body) => await SendAsync(http, HttpMethod.Post, token, path, body);

static async Task<JsonElement> PutAsync(HttpClient http, string token, string path, JsonObject body) => await SendAsync(http, HttpMethod.Put, token, path, body);

static async Task<JsonElement> SendAsync(HttpClient http, HttpMethod method, string token, string path, JsonObject body)
{
    using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    using var response = await http.SendAsync(request);
    var text = await response.Content.ReadAsStringAsync();
    return response.IsSuccessStatusCode ? JsonDocument.Parse(text).RootElement.Clone() : throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
}

static int FreePort()
{
    using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
    listener.Start();
    return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
}
