using System.Diagnostics;
using System.Net;
using DendriteAspire.Admin.Cli;

namespace DendriteAspire.Admin.Tests;

/// <summary>
/// The CLI contract scripts depend on, through <see cref="AdminCommandLine"/> (what Program.Main calls) with Dendrite's
/// HTTP surface replaced at the HttpClient boundary, and through the real process for the parts that need no server.
/// </summary>
public sealed class CliTests : IDisposable
{
    private const string Secret = "s3cret";
    private const string AdminPassword = "admin-password-1";
    private readonly string _directory = Directory.CreateTempSubdirectory("dendrite-admin-cli-").FullName;
    private readonly Dictionary<string, string> _variables = new(StringComparer.Ordinal);
    private readonly ScriptedHomeserver _server = new ScriptedHomeserver()
        .WithSharedSecretRegistration(Secret, "family.example", "taken")
        .WithLogin("@admin:family.example", AdminPassword)
        .On(HttpMethod.Put, "/_matrix/client/v3/profile/", HttpStatusCode.OK, new { })
        .On(HttpMethod.Post, "/_dendrite/admin/resetPassword/", HttpStatusCode.OK, new { password_updated = true })
        .On(HttpMethod.Post, "/_dendrite/admin/evacuateUser/", HttpStatusCode.OK, new { affected = new List<string>() })
        .On(HttpMethod.Get, "/_matrix/client/v3/account/whoami", HttpStatusCode.OK, new { user_id = "@admin:family.example" })
        .On(HttpMethod.Get, "/_dendrite/admin/registrationTokens", HttpStatusCode.OK, new { registration_tokens = new List<string>() })
        .On(HttpMethod.Get, "/_dendrite/admin/fulltext/reindex", HttpStatusCode.OK, new { });

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Homeserver => _server.BaseAddress.ToString();

    private string WriteFile(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    private async Task<(int ExitCode, string[] Stdout, string Stderr)> Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var environment = new CliEnvironment(stdout, stderr, name => _variables.GetValueOrDefault(name), () => _server);
        var exitCode = await AdminCommandLine.RunAsync(args, environment, TestContext.Current.CancellationToken);
        return (exitCode, stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), stderr.ToString());
    }

    [Fact]
    public async Task AddUser_PrintsTheUserId_AndAGeneratedPasswordOnItsOwnLine()
    {
        _variables[AdminOptions.SharedSecretVariable] = Secret;

        var (exitCode, stdout, stderr) = await Run("add-user", "alice", "--display-name", "Alice Smith", "--homeserver", Homeserver);

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Equal("", stderr);
        Assert.Equal(2, stdout.Length);
        Assert.Equal("created @alice:family.example", stdout[0]);
        Assert.StartsWith("password: ", stdout[1], StringComparison.Ordinal);
        var password = stdout[1]["password: ".Length..];
        Assert.True(password.Length >= 20);
        Assert.Equal(password, (string)_server.To("/_synapse/admin/v1/register").Last().Json["password"]!);
        Assert.False((bool)_server.To("/_synapse/admin/v1/register").Last().Json["admin"]!);
    }

    [Fact]
    public async Task AddUser_WithFiles_UsesThemAndPrintsNoPassword()
    {
        var secretFile = WriteFile("secret", Secret + "\n");
        var passwordFile = WriteFile("password", "bobs-password\n");

        var (exitCode, stdout, _) = await Run("add-user", "bob", "--admin", "--password-file", passwordFile,
            "--shared-secret-file", secretFile, "--homeserver", Homeserver);

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Equal(["created @bob:family.example"], stdout);
        var registration = _server.To("/_synapse/admin/v1/register").Last().Json;
        Assert.Equal("bobs-password", (string)registration["password"]!);
        Assert.True((bool)registration["admin"]!);
    }

    [Fact]
    public async Task AddUser_OfAnExistingName_Exits1_AndPrintsTheErrcode()
    {
        _variables[AdminOptions.SharedSecretVariable] = Secret;

        var (exitCode, stdout, stderr) = await Run("add-user", "taken", "--homeserver", Homeserver);

        Assert.Equal(ExitCodes.Refused, exitCode);
        Assert.Empty(stdout);
        Assert.Contains("error: taken already exists", stderr, StringComparison.Ordinal);
        Assert.Contains("errcode: M_USER_IN_USE", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWrongSharedSecret_Exits1_WithM_FORBIDDEN()
    {
        _variables[AdminOptions.SharedSecretVariable] = "not-the-secret";

        var (exitCode, _, stderr) = await Run("add-user", "carol", "--homeserver", Homeserver);

        Assert.Equal(ExitCodes.Refused, exitCode);
        Assert.Contains("errcode: M_FORBIDDEN", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-secret", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Alice", "upper-case")]
    [InlineData("_bot", "starts with '_'")]
    [InlineData("@alice:family.example", "give the name only")]
    public async Task ABadUserName_Exits2_NamingTheRule_BeforeAnyCall(string name, string rule)
    {
        _variables[AdminOptions.SharedSecretVariable] = Secret;

        var (exitCode, _, stderr) = await Run("add-user", name, "--homeserver", Homeserver);

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains(rule, stderr, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task MissingCredentials_Exit2_NamingTheOptionAndTheVariable()
    {
        var (addExit, _, addError) = await Run("add-user", "alice", "--homeserver", Homeserver);
        var (resetExit, _, resetError) = await Run("reset-password", "alice", "--homeserver", Homeserver);

        Assert.Equal(ExitCodes.BadInput, addExit);
        Assert.Contains("--shared-secret-file", addError, StringComparison.Ordinal);
        Assert.Contains("DENDRITE_REGISTRATION_SHARED_SECRET", addError, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.BadInput, resetExit);
        Assert.Contains("--admin-password-file", resetError, StringComparison.Ordinal);
        Assert.Contains("DENDRITE_ADMIN_PASSWORD", resetError, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Theory]
    [InlineData("add-user", "alice", "--password", "x")]
    [InlineData("add-user", "alice", "--shared-secret", "x")]
    [InlineData("whoami", "--admin-password", "x")]
    public async Task SecretsAsArguments_AreNotAccepted(params string[] args)
    {
        _variables[AdminOptions.SharedSecretVariable] = Secret;
        _variables[AdminOptions.AdminPasswordVariable] = AdminPassword;

        var (exitCode, _, stderr) = await Run([.. args, "--homeserver", Homeserver]);

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains("Unrecognized command or argument", stderr, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task ResetPassword_PrintsTheGeneratedPassword()
    {
        _variables[AdminOptions.AdminPasswordVariable] = AdminPassword;

        var (exitCode, stdout, _) = await Run("reset-password", "alice", "--homeserver", Homeserver);

        Assert.Equal(ExitCodes.Success, exitCode);
        var line = Assert.Single(stdout);
        Assert.StartsWith("password: ", line, StringComparison.Ordinal);
        Assert.Equal(line["password: ".Length..], (string)_server.To("/_dendrite/admin/resetPassword/").Single().Json["password"]!);
    }

    [Fact]
    public async Task ResetPassword_WithAPasswordFile_PrintsNoPassword()
    {
        _variables[AdminOptions.AdminPasswordVariable] = AdminPassword;
        var file = WriteFile("new", "a-new-password\n");

        var (exitCode, stdout, _) = await Run("reset-password", "alice", "--password-file", file, "--homeserver", Homeserver);

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.DoesNotContain(stdout, line => line.Contains("a-new-password", StringComparison.Ordinal));
        Assert.Equal("a-new-password", (string)_server.To("/_dendrite/admin/resetPassword/").Single().Json["password"]!);
    }

    [Fact]
    public async Task RemoveAccess_PrintsRemoved()
    {
        var file = WriteFile("admin", AdminPassword);

        var (exitCode, stdout, _) = await Run("remove-access", "alice", "--admin-password-file", file, "--homeserver", Homeserver);

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Equal(["removed @alice:family.example"], stdout);
        Assert.Single(_server.To("/_dendrite/admin/evacuateUser/%40alice%3Afamily.example"));
    }

    [Fact]
    public async Task WhoAmI_PrintsTheAdminUserId_AndAWrongPasswordExits1()
    {
        _variables[AdminOptions.AdminPasswordVariable] = AdminPassword;
        var (exitCode, stdout, _) = await Run("whoami", "--homeserver", Homeserver);
        _variables[AdminOptions.AdminPasswordVariable] = "wrong-password";
        var (wrongExit, _, wrongError) = await Run("whoami", "--homeserver", Homeserver);

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Equal(["@admin:family.example"], stdout);
        Assert.Equal(ExitCodes.Refused, wrongExit);
        Assert.Contains("errcode: M_FORBIDDEN", wrongError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReindexSearch_PrintsReindexStarted()
    {
        _variables[AdminOptions.AdminPasswordVariable] = AdminPassword;

        var (exitCode, stdout, _) = await Run("reindex-search", "--admin-user", "admin", "--homeserver", Homeserver);

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Equal(["reindex started"], stdout);
        Assert.Single(_server.To("/_dendrite/admin/fulltext/reindex"));
    }

    [Fact]
    public async Task AnUnreachableHomeserver_Exits1()
    {
        _variables[AdminOptions.SharedSecretVariable] = Secret;
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var environment = new CliEnvironment(stdout, stderr, name => _variables.GetValueOrDefault(name));

        var exitCode = await AdminCommandLine.RunAsync(["add-user", "alice", "--homeserver", "http://127.0.0.1:1"], environment, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Refused, exitCode);
        Assert.Contains("cannot reach the homeserver", stderr.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("add-user", "--display-name")]
    [InlineData("reset-password", "--password-file")]
    [InlineData("remove-access", "--admin-password-file")]
    [InlineData("whoami", "--admin-user")]
    [InlineData("reindex-search", "--admin-password-file")]
    public async Task EveryCommand_HasHelp_ListingHomeserver(string command, string option)
    {
        var (exitCode, stdout, _) = await Run(command, "--help");

        Assert.Equal(ExitCodes.Success, exitCode);
        var help = string.Join('\n', stdout);
        Assert.Contains("--homeserver", help, StringComparison.Ordinal);
        Assert.Contains(option, help, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsageErrors_Exit2()
    {
        var (noHomeserver, _, error) = await Run("add-user", "alice");
        var (badUrl, _, urlError) = await Run("whoami", "--homeserver", "localhost:8008");
        var (unknown, _, _) = await Run("delete-everything", "--homeserver", Homeserver);

        Assert.Equal(ExitCodes.BadInput, noHomeserver);
        Assert.Contains("--homeserver", error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.BadInput, badUrl);
        Assert.Contains("not an http(s) URL", urlError, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.BadInput, unknown);
    }

    [Fact]
    public async Task TheRealProcess_ExitsWithTheDocumentedCodes()
    {
        var assembly = typeof(AdminCommandLine).Assembly.Location;
        var help = await RunProcess(assembly, "add-user", "--help");
        var badName = await RunProcess(assembly, "add-user", "Alice", "--homeserver", "http://127.0.0.1:1");

        Assert.Equal(ExitCodes.Success, help.ExitCode);
        Assert.Contains("add-user <name> [options]", help.Stdout, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.BadInput, badName.ExitCode);
        Assert.Contains("upper-case", badName.Stderr, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunProcess(string assembly, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(assembly);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout, await stderr);
    }
}
