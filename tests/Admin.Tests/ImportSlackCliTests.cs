using System.Net;
using DendriteAspire.Admin.Cli;

namespace DendriteAspire.Admin.Tests;

/// <summary>
/// <c>import-slack</c>'s contract: bad input exits 2 before anything is written (here: before any request at all, or
/// only reads), a refused token exits 1 with its errcode, the dry run only reads. The writes themselves are tested
/// live against the real Dendrite (Integration.Tests, SlackImportTests).
/// </summary>
public sealed class ImportSlackCliTests : IDisposable
{
    private const string Token = "import-token-0123456789abcdef0123456789abcdef";
    private readonly string _directory = Directory.CreateTempSubdirectory("dendrite-import-cli-").FullName;
    private readonly Dictionary<string, string> _variables = new(StringComparer.Ordinal) { [ImportSlackCommand.ImportTokenVariable] = Token };
    private readonly ScriptedHomeserver _server = new ScriptedHomeserver()
        .On(HttpMethod.Get, "/_matrix/key/v2/server", HttpStatusCode.OK, new { server_name = "family.example" })
        .On(HttpMethod.Get, "/_matrix/client/v3/account/whoami", HttpStatusCode.OK, new { user_id = "@slack-import:family.example" })
        .On(HttpMethod.Get, "/_matrix/client/v3/profile/", r => r.PathAndQuery.Contains("%40admin%3A", StringComparison.Ordinal) || r.PathAndQuery.Contains("%40alice%3A", StringComparison.Ordinal)
            ? (HttpStatusCode.OK, new { displayname = "Someone" })
            : (HttpStatusCode.NotFound, ScriptedHomeserver.Error("M_NOT_FOUND", "no profile")))
        .On(HttpMethod.Get, "/_matrix/client/v3/joined_rooms", HttpStatusCode.OK, new { joined_rooms = Array.Empty<string>() })
        .On(HttpMethod.Post, "/_matrix/client/v3/logout", HttpStatusCode.OK, new { });

    private static string Modern => Path.Combine(AppContext.BaseDirectory, "SlackFixtures", "modern");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string WriteFile(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var environment = new CliEnvironment(stdout, stderr, name => _variables.GetValueOrDefault(name), () => _server);
        var exitCode = await AdminCommandLine.RunAsync(["import-slack", .. args, "--homeserver", _server.BaseAddress.ToString()], environment, TestContext.Current.CancellationToken);
        return (exitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Only reads, and the logout of the import bot's device (whose token is the import token).</summary>
    private void AssertNothingWritten() =>
        Assert.All(_server.Requests, r => Assert.True(r.Method == HttpMethod.Get || r.PathAndQuery == "/_matrix/client/v3/logout", $"{r.Method} {r.PathAndQuery}"));

    [Fact]
    public async Task Without_a_token_it_exits_2_naming_the_option_and_variable()
    {
        _variables.Clear();
        var (exitCode, _, stderr) = await Run(Modern);
        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains("--import-token-file", stderr, StringComparison.Ordinal);
        Assert.Contains("$DENDRITE_IMPORT_TOKEN", stderr, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task The_token_is_read_from_a_file_and_never_taken_as_an_argument()
    {
        _variables.Clear();
        var (exitCode, _, _) = await Run(Modern, "--dry-run", "--import-token-file", WriteFile("token", Token + "\n"));
        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.All(_server.Requests, r => Assert.Equal(Token, r.BearerToken));
        Assert.DoesNotContain(new ImportSlackCommand(new CliEnvironment(TextWriter.Null, TextWriter.Null, _ => null)).Options, o => o.Name is "--token" or "--import-token");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("33")]
    public async Task A_parallelism_out_of_range_exits_2_before_any_request(string parallel)
    {
        var (exitCode, _, stderr) = await Run(Modern, "--parallel", parallel);
        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains($"--parallel {parallel}", stderr, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task A_slack_token_without_fetch_files_exits_2_before_any_request()
    {
        var (exitCode, _, stderr) = await Run(Modern, "--slack-token-file", WriteFile("slack-token", "xoxp-family"));
        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains("--fetch-files", stderr, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task A_missing_slack_token_file_exits_2_naming_it_before_any_request()
    {
        var missing = Path.Combine(_directory, "no-such-token");
        var (exitCode, _, stderr) = await Run(Modern, "--fetch-files", "--slack-token-file", missing);
        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains("--slack-token-file", stderr, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task A_file_that_is_not_a_zip_exits_2_before_any_request()
    {
        var notZip = WriteFile("export.zip", "PK? no, just text");
        var (exitCode, _, stderr) = await Run(notZip, "--server-name", "family.example");
        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains(notZip + " is not a readable ZIP", stderr, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task An_unknown_author_exits_2_naming_file_and_entry_before_any_request()
    {
        var copy = CopyModern();
        File.WriteAllText(Path.Combine(copy, "trips", "2021-03-20.json"), "[{\"type\":\"message\",\"user\":\"U09GUEST\",\"text\":\"hi\",\"ts\":\"1616200000.000100\"}]");
        var (exitCode, _, stderr) = await Run(copy, "--server-name", "family.example");
        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains("trips/2021-03-20.json[0] (ts 1616200000.000100) is by U09GUEST", stderr, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task A_mapping_to_an_invalid_name_exits_2_naming_the_line()
    {
        var map = WriteFile("map.txt", "# who is who\nU03CAROL=Carol\n");
        var (exitCode, _, stderr) = await Run(Modern, "--map", map, "--server-name", "family.example");
        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains(map + ":2: U03CAROL maps to an invalid user name", stderr, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task A_refused_token_exits_1_with_the_errcode_and_writes_nothing()
    {
        _server.On(HttpMethod.Get, "/_matrix/client/v3/account/whoami", HttpStatusCode.Unauthorized, ScriptedHomeserver.Error("M_UNKNOWN_TOKEN", "Unknown token"));
        var (exitCode, _, stderr) = await Run(Modern);
        Assert.Equal(ExitCodes.Refused, exitCode);
        Assert.Contains("errcode: M_UNKNOWN_TOKEN", stderr, StringComparison.Ordinal);
        AssertNothingWritten();
    }

    [Fact]
    public async Task New_people_without_the_shared_secret_exit_2_after_only_reads()
    {
        var (exitCode, _, stderr) = await Run(Modern);
        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains("need new accounts (@bob.jones:family.example, @carol:family.example, @grandpa:family.example)", stderr, StringComparison.Ordinal);
        Assert.Contains("--shared-secret-file", stderr, StringComparison.Ordinal);
        AssertNothingWritten();
    }

    [Fact]
    public async Task The_dry_run_prints_the_plan_and_only_reads()
    {
        var (exitCode, stdout, stderr) = await Run(Modern, "--dry-run");
        Assert.True(exitCode == ExitCodes.Success, stderr);
        Assert.Contains("U01ALICE     alice                -> @alice:family.example (existing account)", stdout, StringComparison.Ordinal);
        Assert.Contains("U02BOB       bob.jones            -> @bob.jones:family.example (new account", stdout, StringComparison.Ordinal);
        Assert.Contains("-> @slack-bot-weather:family.example (new bot account)", stdout, StringComparison.Ordinal);
        Assert.Contains("channel          general                  new room: 13 messages, 12 to import, 0 already imported, 1 skipped", stdout, StringComparison.Ordinal);
        Assert.Contains("Files: 1 with bytes (uploaded), 1 without", stdout, StringComparison.Ordinal);
        Assert.Contains("Dry run: nothing was written.", stdout, StringComparison.Ordinal);
        AssertNothingWritten();
        Assert.Single(_server.To("/_matrix/client/v3/logout")); // The token's device is revoked on dry runs too.
    }

    [Fact]
    public async Task Without_federation_the_server_name_must_be_given()
    {
        _server.On(HttpMethod.Get, "/_matrix/key/v2/server", HttpStatusCode.NotFound, ScriptedHomeserver.Error("M_UNRECOGNIZED", "Unrecognized request"));
        var (exitCode, _, stderr) = await Run(Modern, "--dry-run");
        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains("give --server-name", stderr, StringComparison.Ordinal);
        AssertNothingWritten();
    }

    private string CopyModern()
    {
        var target = Path.Combine(_directory, "export");
        foreach (var file in Directory.EnumerateFiles(Modern, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(Modern, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }

        return target;
    }
}
