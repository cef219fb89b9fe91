using System.Net;

namespace DendriteAspire.Integration.Tests;

/// <summary>
/// The first admin across restarts: made on the first start with the configured password, and on a second start with
/// a different password configured, left alone (the first password still works, the new one does not).
/// </summary>
[Trait("Category", "Live")]
public class BootstrapAdminTests
{
    private static readonly TimeSpan BootstrapTimeout = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task ASecondStart_LeavesTheAdminAndItsPasswordUnchanged()
    {
        var runtime = await LiveEnvironment.RequireAsync(withPostgres: false);
        var ct = TestContext.Current.CancellationToken;
        var prefix = VolumePrefix.New("bootstrap-admin");
        var first = $"first-{Guid.NewGuid():N}";
        var second = $"second-{Guid.NewGuid():N}";
        try
        {
            await using (var app = await DendriteApp.StartAsync(runtime, prefix, [$"--Parameters:{FamilyAccountsLive.AdminPasswordParameter}={first}"], ct))
            {
                var line = await FamilyAccountsLive.WaitForLogLineAsync(app, "dendrite", l => l.Contains("Bootstrap admin", StringComparison.Ordinal), BootstrapTimeout, ct);
                Assert.Contains("Bootstrap admin @admin:localhost created", line, StringComparison.Ordinal);
                var session = await app.Matrix.LoginOrThrowAsync(FamilyAccountsLive.AdminUserName, first, ct);
                await Conversation.AssertAdminAsync(app.Matrix, session, expectedAdmin: true, ct);
            }

            await using (var app = await DendriteApp.StartAsync(runtime, prefix, [$"--Parameters:{FamilyAccountsLive.AdminPasswordParameter}={second}"], ct))
            {
                var line = await FamilyAccountsLive.WaitForLogLineAsync(app, "dendrite", l => l.Contains("Bootstrap admin", StringComparison.Ordinal), BootstrapTimeout, ct);
                Assert.Contains("Bootstrap admin @admin:localhost already exists; left unchanged", line, StringComparison.Ordinal);
                await app.Matrix.LoginOrThrowAsync(FamilyAccountsLive.AdminUserName, first, ct);
                Assert.Equal(HttpStatusCode.Forbidden, (await app.Matrix.LoginAsync(FamilyAccountsLive.AdminUserName, second, ct)).Status);
                var warning = await FamilyAccountsLive.WaitForLogLineAsync(app, "dendrite", l => l.Contains("does not sign in", StringComparison.Ordinal), BootstrapTimeout, ct);
                Assert.DoesNotContain(second, warning, StringComparison.Ordinal);
                Assert.DoesNotContain(first, warning, StringComparison.Ordinal);
            }
        }
        finally
        {
            await VolumePrefix.RemoveVolumesAsync(runtime, prefix, withPostgres: false);
        }
    }
}
