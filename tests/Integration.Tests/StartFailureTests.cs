using System.Text.RegularExpressions;

namespace DendriteAspire.Integration.Tests;

/// <summary>
/// A Dendrite that cannot start fails the start at once, and the failure says why: each container's state and exit
/// code, the last lines of its console log, and DCP's errors (see <see cref="StartDiagnostics"/>).
/// </summary>
[Trait("Category", "Live")]
public class StartFailureTests
{
    [Fact]
    public async Task DendriteThatExits_FailsTheStart_WithStateExitCodeAndItsLastLogLines()
    {
        var runtime = await LiveEnvironment.RequireAsync(withPostgres: false);
        var ct = TestContext.Current.CancellationToken;
        var prefix = VolumePrefix.New("start-failure");
        // Passes the settings checks, but Dendrite itself cannot load the key and exits.
        const string missingKey = "/var/dendrite/storage-keys/no-such-key.pem";
        try
        {
            var error = await Assert.ThrowsAsync<DendriteStartException>(
                () => DendriteApp.StartAsync(runtime, prefix, [$"--Dendrite:Overrides:global.private_key={missingKey}"], ct));

            var message = error.Message;
            Assert.True(message.Contains("dendrite-keygen: state", StringComparison.Ordinal), message);
            // Exited with Dendrite's exit code, or (when DCP's start check sees the container already gone) FailedToStart
            // without one; both were seen on podman 4.3.1.
            Assert.True(Regex.IsMatch(message, @"(?m)^dendrite: state (Exited, exit code [1-9]\d*|Finished, exit code [1-9]\d*|FailedToStart, exit code (none|[1-9]\d*))"), message);
            Assert.True(message.Contains("console lines:", StringComparison.Ordinal), message);
            Assert.True(message.Contains("no-such-key.pem", StringComparison.Ordinal), message); // Dendrite's own log line
        }
        finally
        {
            await VolumePrefix.RemoveVolumesAsync(runtime, prefix, withPostgres: false);
        }
    }
}
