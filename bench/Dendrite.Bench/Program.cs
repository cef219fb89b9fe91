using DendriteAspire.Bench;

// Usage: dotnet run -c Release --project bench/Dendrite.Bench [-- --messages 200] [--warm-runs 5]
var messages = 200;
var index = Array.IndexOf(args, "--messages");
if (index >= 0 && (index + 1 >= args.Length || !int.TryParse(args[index + 1], out messages) || messages is < 1 or > 10_000))
{
    await Console.Error.WriteLineAsync("--messages takes a number from 1 to 10000");
    return 2;
}

var warmRuns = 5;
index = Array.IndexOf(args, "--warm-runs");
if (index >= 0 && (index + 1 >= args.Length || !int.TryParse(args[index + 1], out warmRuns) || warmRuns is < 1 or > 50))
{
    await Console.Error.WriteLineAsync("--warm-runs takes a number from 1 to 50");
    return 2;
}

// A hard bound on the whole run; every step below has its own, shorter timeout.
using var overall = new CancellationTokenSource(TimeSpan.FromMinutes(45));
var benchmark = new Benchmark(BenchEnvironment.FindRepositoryRoot(), messages, warmRuns);
if (!await benchmark.BuildAppHostAsync(overall.Token))
{
    return 1;
}

await benchmark.MeasurePublishAsync();
await benchmark.MeasureLiveAsync(overall.Token);
Console.WriteLine(benchmark.Table);
return 0;
