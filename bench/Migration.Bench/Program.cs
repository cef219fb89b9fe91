using System.Diagnostics;
using System.Globalization;
using DendriteAspire.Migration;
using DendriteAspire.Migration.Bench;

// Throughput of migrate-to-postgres on this machine. Builds a SQLite set from Dendrite v0.15.2's real schema with
// N messages in one room (5 event tables, one row per message in each), lets the tool copy it into Dendrite's real
// Postgres schema, and prints rows/s per event table against the goal.
const double GoalRowsPerSecond = 50_000;
var events = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200_000;
string[] eventTables =
[
    "roomserver_events", "roomserver_event_json", "roomserver_previous_events",
    "syncapi_output_room_events", "syncapi_output_room_events_topology",
];

await using var postgres = await BenchPostgres.StartAsync();
var directory = Directory.CreateTempSubdirectory("dendrite-migration-bench-").FullName;
try
{
    var build = Stopwatch.StartNew();
    SyntheticFamily.Create(directory, events);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"SQLite set with {events:N0} messages built in {build.Elapsed.TotalSeconds:0.0} s ({new DirectoryInfo(directory).EnumerateFiles().Sum(f => f.Length) / 1048576.0:0} MiB)"));
    var target = await postgres.CreateDendriteDatabaseAsync();

    var result = await PostgresMigration.RunAsync(new MigrationOptions(directory, target), TextWriter.Null, CancellationToken.None);

    Console.WriteLine();
    Console.WriteLine($"{"table",-38} {"rows",10} {"seconds",8} {"rows/s",10}  goal {GoalRowsPerSecond:N0} rows/s");
    long rows = 0;
    var seconds = 0.0;
    foreach (var table in eventTables)
    {
        var n = result.CopiedRows[table];
        var s = result.CopyTimes[table].TotalSeconds;
        rows += n;
        seconds += s;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{table,-38} {n,10:N0} {s,8:0.00} {n / s,10:N0}  {(n / s >= GoalRowsPerSecond ? "met" : "MISSED")}"));
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{"event tables together",-38} {rows,10:N0} {seconds,8:0.00} {rows / seconds,10:N0}  {(rows / seconds >= GoalRowsPerSecond ? "met" : "MISSED")}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{"whole migration (all tables)",-38} {result.TotalCopiedRows,10:N0} {result.CopyTime.TotalSeconds,8:0.00} {result.TotalCopiedRows / result.CopyTime.TotalSeconds,10:N0}"));
}
finally
{
    Directory.Delete(directory, recursive: true);
}
