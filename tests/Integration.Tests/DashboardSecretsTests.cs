using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Browser = DendriteAspire.Onboarding.Tests.Browser;

namespace DendriteAspire.Integration.Tests;

/// <summary>
/// Issue 18, point 8, against the real Aspire dashboard of <c>dotnet run --project AppHost</c>: a password from
/// "Add family member" is shown once, in a dialog, and after the person closes it a second browser finds it nowhere: not
/// in the notification center, not behind "View response", not in the resource's console log.
/// </summary>
[Trait("Category", "Live")]
public partial class DashboardSecretsTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_new_password_is_gone_from_the_dashboard_once_its_dialog_is_closed()
    {
        var runtime = await LiveEnvironment.RequireAsync(withPostgres: false);
        var prefix = VolumePrefix.New("dash-secrets");
        var port = AppHostCommandLine.FreePort();
        try
        {
            using var appHost = AppHostCommandLine.Start(
            [
                $"--Dendrite:VolumePrefix={prefix}", $"--Dendrite:HostPort={port}", $"--DcpPublisher:ContainerRuntime={runtime.Name}",
                "--Dendrite:Client:Enabled=false", "--Dendrite:Onboarding:HostPort=0", "--Dendrite:Backup:Every=off",
            ], interactive: true);
            var healthy = await appHost.WaitForOkAsync(new Uri($"http://localhost:{port}/_matrix/client/versions"), StartTimeout, Ct);
            Assert.True(healthy, $"Dendrite did not answer; the AppHost's last output:\n{appHost.Output}");

            var (playwright, browser) = await Browser.LaunchAsync();
            using var playwrightScope = playwright;
            await using var browserScope = browser;

            // Browser 1: the person adds a family member, reads the password in the dialog, and closes it.
            var userName = "cousin" + Guid.NewGuid().ToString("N")[..6];
            string password;
            await using (var first = await browser.NewContextAsync())
            {
                var page = await first.NewPageAsync();
                page.SetDefaultTimeout(90_000);
                await page.GotoAsync(appHost.Dashboard.ToString());
                // A highlighted command is an icon button named by its description.
                var command = page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Create an account for someone in the family") }).First;
                await command.WaitForAsync();
                // Enabled once Dendrite is healthy (the command's state follows the health checks).
                await Expect(() => command.IsEnabledAsync());
                await command.ClickAsync();
                var dialog = page.Locator("#interactions-input-dialog");
                await dialog.Locator("input").First.FillAsync(userName);
                // Fluent buttons in dialogs carry their text, not an accessible name.
                await page.Locator("fluent-button").Filter(new() { HasTextRegex = new Regex("^\\s*Add family member\\s*$") }).Last.ClickAsync();

                var shown = page.GetByText("This password is shown only now");
                await shown.WaitForAsync();
                var text = await page.Locator("body").InnerTextAsync();
                password = PasswordLine().Match(text) is { Success: true } match ? match.Groups[1].Value.Trim() : throw new Xunit.Sdk.XunitException($"no password in the dialog: {text}");
                Assert.True(password.Length >= 12, $"'{password}' is not a generated password");
                await Browser.ScreenshotAsync(page, "dashboard-password-dialog");
                // "Done" on the message box; the old result dialog ("View response") called it "Close".
                var done = page.Locator("fluent-button").Filter(new() { HasTextRegex = new Regex("^\\s*Done\\s*$") });
                await (await done.CountAsync() > 0 ? done : page.Locator("fluent-button").Filter(new() { HasTextRegex = new Regex("^\\s*Close\\s*$") })).Last.ClickAsync();
                await shown.WaitForAsync(new() { State = WaitForSelectorState.Detached });
                // The command finishes once the dialog is closed.
                await Task.Delay(TimeSpan.FromSeconds(5), Ct);
            }

            // Browser 2, later: everything the dashboard keeps, and the resource's log, without the password.
            await using var second = await browser.NewContextAsync();
            var later = await second.NewPageAsync();
            later.SetDefaultTimeout(60_000);
            await later.GotoAsync(appHost.Dashboard.ToString());
            await later.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Create an account for someone in the family") }).First.WaitForAsync();
            await Task.Delay(TimeSpan.FromSeconds(3), Ct);
            Assert.DoesNotContain(password, await later.ContentAsync(), StringComparison.Ordinal);

            var seen = new List<string>();
            var notifications = later.GetByRole(AriaRole.Button, new() { Name = "Notifications", Exact = true });
            if (await notifications.CountAsync() > 0)
            {
                await notifications.First.ClickAsync();
                await Task.Delay(TimeSpan.FromSeconds(2), Ct);
                seen.Add(await later.ContentAsync());
                var responses = later.GetByRole(AriaRole.Button, new() { Name = "View response" });
                for (var i = 0; i < await responses.CountAsync(); i++)
                {
                    await responses.Nth(i).ClickAsync();
                    await Task.Delay(TimeSpan.FromSeconds(1), Ct);
                    seen.Add(await later.ContentAsync());
                    await later.Keyboard.PressAsync("Escape");
                }

                await Browser.ScreenshotAsync(later, "dashboard-notifications-later");
                Assert.Contains(seen, html => html.Contains($"@{userName}:localhost", StringComparison.Ordinal));
            }

            await later.GotoAsync(new Uri(appHost.Dashboard, "/consolelogs/resource/dendrite").ToString());
            await later.GetByText("Executing command 'add-family-member'").First.WaitForAsync(new() { State = WaitForSelectorState.Attached });
            seen.Add(await later.ContentAsync());
            await Browser.ScreenshotAsync(later, "dashboard-console-logs-later");

            Assert.NotEmpty(seen);
            Assert.All(seen, html => Assert.DoesNotContain(password, html, StringComparison.Ordinal));
            Assert.True(notificationsFound(seen), "the notification center was not found, so nothing was checked there");
            Assert.True(await appHost.TerminateAsync(TimeSpan.FromMinutes(1)));
        }
        finally
        {
            await VolumePrefix.RemoveVolumesAsync(runtime, prefix, withPostgres: false);
            var data = DendriteAspire.Hosting.OnboardingBuilderExtensions.LocalDataDirectory(prefix);
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }

        static bool notificationsFound(List<string> seen) => seen.Count >= 2;
    }

    private static async Task Expect(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 180 && !await condition(); i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        }
    }

    [GeneratedRegex(@"Password:\s*(\S+)")]
    private static partial Regex PasswordLine();
}
