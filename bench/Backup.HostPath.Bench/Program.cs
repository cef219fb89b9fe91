using DendriteAspire.Backup.Runtime;

// One backup of a local server the way the AppHost takes it (Hosting's DendriteBackups): ServerBackup inside a process
// that keeps its own priority, with BackgroundCpu.EnterInHost (runtime commands in the idle classes, the process on half
// the cores until the backup ends). Arguments as the Admin CLI's, so sizing.py runs either:
//   backup --volume-prefix PREFIX --output DIR --server-name NAME [--image IMAGE]
if (args.Length == 0 || args[0] != "backup" || args.Length % 2 != 1)
{
    Console.Error.WriteLine("usage: backup --volume-prefix PREFIX --output DIR --server-name NAME [--image IMAGE]");
    return 2;
}

var values = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 1; i < args.Length; i += 2)
{
    values[args[i]] = args[i + 1];
}

var result = await ServerBackup.RunAsync(ContainerCli.FromEnvironment(Environment.GetEnvironmentVariable), new BackupOptions
{
    VolumePrefix = values["--volume-prefix"],
    OutputDirectory = values["--output"],
    ServerName = values.GetValueOrDefault("--server-name"),
    DendriteImage = values.GetValueOrDefault("--image", "docker.io/matrixdotorg/dendrite-monolith:v0.15.2"),
    EnterBackground = () => BackgroundCpu.EnterInHost(),
    Progress = Console.Error.WriteLine,
}, CancellationToken.None);
Console.WriteLine($"backup: {result.Path} ({result.SizeBytes} bytes)");
Console.WriteLine($"dendrite paused: {result.Pause?.TotalMilliseconds:0} ms");
return 0;
