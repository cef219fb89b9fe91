using System.Diagnostics;
using System.Formats.Tar;
using System.Security.Cryptography;
using DendriteAspire.Backup.Runtime;

namespace DendriteAspire.Backup.Tests;

/// <summary>
/// The named pipe a volume's tar leaves Docker's helper container through, with real writer processes on this machine:
/// what they write arrives whole, and a writer that fails, never opens the pipe, or outlives a failed read never hangs
/// the backup. The helper's writer script runs here with this machine's tar.
/// </summary>
public sealed class NamedPipeTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("namedpipe-tests-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(9 << 20)] // far beyond the pipe's 64 KiB buffer: the writer waits on the reader
    public async Task What_The_Writer_Writes_Arrives_Whole(int size)
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "named pipes are made on Linux");
        var source = Path.Combine(_directory.FullName, "source");
        var data = RandomNumberGenerator.GetBytes(size);
        await File.WriteAllBytesAsync(source, data, TestContext.Current.CancellationToken);
        var pipe = NamedPipe.Create(_directory.FullName, "p");
        var copy = new MemoryStream();

        var exit = await NamedPipe.ReadAsync(pipe, ct => Run("cat \"$2\" > \"$1\"", [pipe, source], ct), TimeSpan.FromMinutes(1),
            (stream, ct) => stream.CopyToAsync(copy, ct), TestContext.Current.CancellationToken);

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal(data, copy.ToArray());
    }

    [Fact]
    public async Task The_Pipe_Is_Only_Its_Owners()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "named pipes are made on Linux");
        var pipe = NamedPipe.Create(_directory.FullName, "p");

        Assert.Equal("600 fifo", (await RunText("stat -c '%a %F' \"$1\"", pipe)).Trim());
    }

    [Fact]
    public async Task A_Writer_That_Fails_Before_Opening_It_Ends_The_Read_With_Its_Exit_And_Message()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "named pipes are made on Linux");
        var pipe = NamedPipe.Create(_directory.FullName, "p");
        var read = -1L;
        var clock = Stopwatch.StartNew();

        var exit = await NamedPipe.ReadAsync(pipe, ct => Run("echo 'tar: not found' >&2; exit 3", [pipe], ct), TimeSpan.FromMinutes(5),
            async (stream, ct) => read = await Drain(stream, ct), TestContext.Current.CancellationToken);

        Assert.Equal(3, exit.ExitCode);
        Assert.Contains("tar: not found", exit.Errors, StringComparison.Ordinal);
        Assert.Equal(0, read);
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), $"it waited {clock.Elapsed} for a writer that had ended");
    }

    [Fact]
    public async Task A_Writer_That_Never_Opens_It_Is_Stopped_And_Named()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "named pipes are made on Linux");
        var pipe = NamedPipe.Create(_directory.FullName, "p");
        var writerEnded = new TaskCompletionSource<bool>();

        var failure = await Assert.ThrowsAsync<PipeNotReachedException>(() => NamedPipe.ReadAsync(pipe, Watched("sleep 120", pipe, writerEnded),
            TimeSpan.FromSeconds(1), (stream, ct) => Drain(stream, ct), TestContext.Current.CancellationToken));

        Assert.Contains(pipe, failure.Message, StringComparison.Ordinal);
        Assert.Contains("within 1 s", failure.Message, StringComparison.Ordinal);
        Assert.True(await writerEnded.Task, "the writer was not stopped");
    }

    [Fact]
    public async Task A_Failed_Read_Stops_The_Writer_And_Is_Rethrown()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "named pipes are made on Linux");
        var pipe = NamedPipe.Create(_directory.FullName, "p");
        var writerStopped = new TaskCompletionSource<bool>();

        var failure = await Assert.ThrowsAsync<InvalidDataException>(() => NamedPipe.ReadAsync(pipe,
            Watched("while :; do head -c 65536 /dev/zero; done > \"$1\"", pipe, writerStopped), TimeSpan.FromMinutes(1), async (stream, ct) =>
        {
            await stream.ReadExactlyAsync(new byte[100_000], ct);
            throw new InvalidDataException("not a tar");
        }, TestContext.Current.CancellationToken));

        Assert.Equal("not a tar", failure.Message);
        Assert.True(await writerStopped.Task.WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_Helpers_Shell_Writes_A_Tar_Of_The_Directory_Under_Its_Name_Into_The_Pipe_It_Is_Given()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "named pipes are made on Linux");
        var volumes = Path.Combine(_directory.FullName, "v");
        var files = new Dictionary<string, byte[]>
        {
            ["media/ab/cd/0123456789abcdef/file"] = RandomNumberGenerator.GetBytes(300_000),
            ["media/ab/cd/0123456789abcdef/thumbnail-32x32-crop"] = RandomNumberGenerator.GetBytes(1000),
            ["media/tmp/upload/content"] = RandomNumberGenerator.GetBytes(10),
        };
        foreach (var (name, bytes) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(volumes, name))!);
            await File.WriteAllBytesAsync(Path.Combine(volumes, name), bytes, TestContext.Current.CancellationToken);
        }

        await File.WriteAllTextAsync(Path.Combine(volumes, "other"), "not in the tar", TestContext.Current.CancellationToken);
        var read = new Dictionary<string, byte[]>();
        using var shell = StartHelperShell();
        var helper = HelperContainer.Attach(new ContainerCli("docker"), shell, "helper-under-test");
        await helper.CopyAsync(TestContext.Current.CancellationToken);

        for (var round = 1; round <= 2; round++)
        {
            // Twice through the same shell: it answers each line and waits for the next.
            read.Clear();
            var pipe = NamedPipe.Create(_directory.FullName, $"media-{round}");
            var exit = await NamedPipe.ReadAsync(pipe, ct => helper.WriteIntoPipeAsync(pipe, volumes, "media", ct), TimeSpan.FromMinutes(1), async (stream, ct) =>
            {
                await using var tar = new TarReader(stream, leaveOpen: true);
                while (await tar.GetNextEntryAsync(copyData: true, ct) is { } entry)
                {
                    if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                    {
                        var bytes = new MemoryStream();
                        await entry.DataStream!.CopyToAsync(bytes, ct);
                        read[entry.Name.TrimStart('.', '/')] = bytes.ToArray();
                    }
                }
            }, TestContext.Current.CancellationToken);

            Assert.True(exit.ExitCode == 0, exit.Errors);
            Assert.Equal(files.Keys.Order(StringComparer.Ordinal), read.Keys.Order(StringComparer.Ordinal));
            Assert.All(files, file => Assert.Equal(file.Value, read[file.Key]));
        }

        shell.StandardInput.Close();
        await shell.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, shell.ExitCode);
    }

    [Fact]
    public async Task The_Helpers_Shell_Refuses_A_Plain_File_Where_The_Pipe_Should_Be_And_Names_It()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "named pipes are made on Linux");
        var plain = Path.Combine(_directory.FullName, "plain");
        await File.WriteAllTextAsync(plain, "", TestContext.Current.CancellationToken);
        using var shell = StartHelperShell();
        var helper = HelperContainer.Attach(new ContainerCli("docker"), shell, "helper-under-test");
        await helper.CopyAsync(TestContext.Current.CancellationToken);

        var tar = await helper.WriteIntoPipeAsync(plain, _directory.FullName, "plain", TestContext.Current.CancellationToken);
        var probe = await helper.WriteIntoPipeAsync(plain, null, null, TestContext.Current.CancellationToken);
        var missing = await helper.WriteIntoPipeAsync(plain, "/nonexistent", "media", TestContext.Current.CancellationToken);

        Assert.Equal(3, tar.ExitCode);
        Assert.Equal($"{plain} is not a named pipe in the container", tar.Errors.Trim());
        Assert.Equal(3, probe.ExitCode);
        Assert.Equal($"{plain} is not a named pipe in the container", probe.Errors.Trim());
        Assert.Equal(0, new FileInfo(plain).Length);
        Assert.Equal(3, missing.ExitCode);
        shell.Kill();
    }

    [Fact]
    public async Task The_Helpers_Shell_Passes_Tars_Failure_And_Message_On()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "named pipes are made on Linux");
        using var shell = StartHelperShell();
        var helper = HelperContainer.Attach(new ContainerCli("docker"), shell, "helper-under-test");
        await helper.CopyAsync(TestContext.Current.CancellationToken);
        var pipe = NamedPipe.Create(_directory.FullName, "p");

        var exit = await NamedPipe.ReadAsync(pipe, ct => helper.WriteIntoPipeAsync(pipe, _directory.FullName, "no-such-volume", ct), TimeSpan.FromMinutes(1),
            (stream, ct) => Drain(stream, ct), TestContext.Current.CancellationToken);

        Assert.NotEqual(0, exit.ExitCode);
        Assert.Contains("no-such-volume", exit.Errors, StringComparison.Ordinal);
        Assert.False(HelperTar.Tolerable("media", exit.Errors));
        shell.Kill();
    }

    /// <summary>The helper container's own shell script, run here with this machine's sh and tar (no volumes to freeze).</summary>
    private Process StartHelperShell()
    {
        var start = new ProcessStartInfo("sh") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(HelperContainer.Script([]));
        start.Environment["TMPDIR"] = _directory.FullName;
        var shell = Process.Start(start)!;
        Assert.Equal("ready", shell.StandardOutput.ReadLine());
        return shell;
    }

    [Theory]
    [InlineData("media", "tar: media/ab/cd/x/thumbnail-32x32-crop: file changed as we read it", true)]
    [InlineData("media", "tar: media/tmp/4711: File removed before we read it", true)]
    [InlineData("media", "tar: can't open 'media/tmp/4711/content': No such file or directory", true)]
    [InlineData("media", "tar: media/ab/cd/x/file: Cannot open: Permission denied", false)]
    [InlineData("media", "tar: media/tmp/4711: File removed before we read it\ntar: media/ab: Read error at byte 0: Input/output error", false)]
    [InlineData("jetstream", "tar: can't open 'jetstream/tmp/x': No such file or directory", false)]
    [InlineData("media", "", false)]
    public void Tars_Exit_1_Passes_Only_For_Files_That_Changed_Or_Uploads_That_Ended(string volume, string errors, bool tolerable) =>
        Assert.Equal(tolerable, HelperTar.Tolerable(volume, errors));

    /// <summary>A writer (<see cref="Run"/>) that records, once it has ended, whether it was stopped.</summary>
    private static Func<CancellationToken, Task<PipeWriterExit>> Watched(string script, string pipe, TaskCompletionSource<bool> stopped) => async ct =>
    {
        try
        {
            return await Run(script, [pipe], ct);
        }
        finally
        {
            stopped.SetResult(ct.IsCancellationRequested);
        }
    };

    private static async Task<long> Drain(Stream stream, CancellationToken cancellationToken)
    {
        var counter = new MemoryStream();
        await stream.CopyToAsync(counter, cancellationToken);
        return counter.Length;
    }

    private static async Task<string> RunText(string script, params string[] arguments)
    {
        var exit = await Run(script + " >&2", arguments, TestContext.Current.CancellationToken);
        Assert.True(exit.ExitCode == 0, exit.Errors);
        return exit.Errors;
    }

    /// <summary>A real process standing in for <c>docker exec</c>: <c>sh -c SCRIPT sh ARGS</c>, killed when cancelled.</summary>
    private static async Task<PipeWriterExit> Run(string script, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("sh") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["-c", script, "sh", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new PipeWriterExit(process.ExitCode, await errors);
    }
}
