using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Browser = DendriteAspire.Onboarding.Tests.Browser;

namespace DendriteAspire.Integration.Tests;

/// <summary>
/// Issue 18, point 8, against the real Aspire dashboard of <c>dotnet run --project AppHost</c>: a password from
/// "Add family member" and a link from "Create invite link" are shown once, in a dialog, and after the person closes it a
/// second browser finds them nowhere: not in the notification center, not behind "View response", not in the resources'
/// console logs.
/// </summary>
[Trait("Category", "Live")]
public partial class DashboardSecretsTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_new_password_and_an_invite_link_are_gone_from_the_dashboard_once_their_dialogs_are_closed()
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

            // Browser 1: the person adds a family member, reads the password in the dialog, and closes it; then makes an
            // invite link, reads it, and closes that dialog too.
            var userName = "cousin" + Guid.NewGuid().ToString("N")[..6];
            var invitee = "aunt" + Guid.NewGuid().ToString("N")[..6];
            string password;
            string inviteToken;
            await using (var first = await browser.NewContextAsync())
            {
                var page = await first.NewPageAsync();
                page.SetDefaultTimeout(90_000);
                await page.GotoAsync(appHost.Dashboard.ToString());
                // A highlighted command is an icon button named by its description.
                var command = page.GetByRole(AriaRole.Button, new() { NameRegex = AddFamilyMemberButton() }).First;
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
                await CloseDialogAsync(page, shown);
                // The command finishes once the dialog is closed.
                await Task.Delay(TimeSpan.FromSeconds(5), Ct);

                // Create invite link, on the onboarding resource (healthy once the service answers).
                var invite = page.GetByRole(AriaRole.Button, new() { NameRegex = InviteLinkButton() }).First;
                await invite.WaitForAsync();
                await Expect(() => invite.IsEnabledAsync());
                await invite.ClickAsync();
                await dialog.Locator("input").First.FillAsync(invitee);
                await page.Locator("fluent-button").Filter(new() { HasTextRegex = new Regex("^\\s*(OK|Create invite link)\\s*$") }).Last.ClickAsync();
                var link = page.GetByText("Send this link to");
                await link.WaitForAsync();
                text = await page.Locator("body").InnerTextAsync();
                inviteToken = InviteToken().Match(text) is { Success: true } token ? token.Groups[1].Value : throw new Xunit.Sdk.XunitException($"no invite link in the dialog: {text}");
                Assert.True(inviteToken.Length >= 20, $"'{inviteToken}' is not a signed invite token");
                await CloseDialogAsync(page, link);
                await Task.Delay(TimeSpan.FromSeconds(5), Ct);
            }

            // Browser 2, later: everything the dashboard keeps, and the resources' logs, without the password or the link.
            await using var second = await browser.NewContextAsync();
            var later = await second.NewPageAsync();
            later.SetDefaultTimeout(60_000);
            await later.GotoAsync(appHost.Dashboard.ToString());
            await later.GetByRole(AriaRole.Button, new() { NameRegex = AddFamilyMemberButton() }).First.WaitForAsync();
            await Task.Delay(TimeSpan.FromSeconds(3), Ct);
            var seen = new List<(string Where, string Html)> { ("the resources page", await later.ContentAsync()) };

            var notifications = later.GetByRole(AriaRole.Button, new() { Name = "Notifications", Exact = true });
            if (await notifications.CountAsync() > 0)
            {
                await notifications.First.ClickAsync();
                await Task.Delay(TimeSpan.FromSeconds(2), Ct);
                seen.Add(("the notification center", await later.ContentAsync()));
                await Browser.ScreenshotAsync(later, "dashboard-notifications-later");
                // "View response" is a fluent-button named by its text (no accessible name), like the dialogs' buttons.
                var responses = later.Locator("fluent-button").Filter(new() { HasTextRegex = new Regex("^\\s*View response\\s*$") });
                for (var i = 0; i < await responses.CountAsync(); i++)
                {
                    if (!await responses.Nth(i).IsVisibleAsync())
                    {
                        await notifications.First.ClickAsync();
                        await Task.Delay(TimeSpan.FromSeconds(1), Ct);
                    }

                    await responses.Nth(i).ClickAsync();
                    await Task.Delay(TimeSpan.FromSeconds(1), Ct);
                    seen.Add(($"View response {i + 1}", await later.ContentAsync()));
                    await Browser.ScreenshotAsync(later, $"dashboard-view-response-{i + 1}-later");
                    await later.Keyboard.PressAsync("Escape");
                    await Task.Delay(TimeSpan.FromSeconds(1), Ct);
                }
            }

            foreach (var resource in new[] { "dendrite", "onboarding" })
            {
                await later.GotoAsync(new Uri(appHost.Dashboard, $"/consolelogs/resource/{resource}").ToString());
                if (resource == "dendrite")
                {
                    await later.GetByText("Executing command 'add-family-member'").First.WaitForAsync(new() { State = WaitForSelectorState.Attached });
                }
                else
                {
                    await Task.Delay(TimeSpan.FromSeconds(3), Ct);
                }

                seen.Add(($"{resource}'s console log", await later.ContentAsync()));
            }

            await Browser.ScreenshotAsync(later, "dashboard-console-logs-later");

            // The leak itself: what a second browser can still read, by place.
            var leaks = seen.SelectMany(s => new[] { ("the password", password), ("the invite link", inviteToken) }
                    .Where(secret => s.Html.Contains(secret.Item2, StringComparison.Ordinal))
                    .Select(secret => $"{secret.Item1} in {s.Where}"))
                .ToList();
            Assert.True(leaks.Count == 0, $"a second browser, after the dialogs were closed, still finds {string.Join("; ", leaks)}");

            // And the places checked were the real ones: the notification center lists both commands.
            var notified = seen.Where(s => s.Where == "the notification center").Select(s => s.Html).ToList();
            Assert.True(notified.Count == 1, "the notification center was not found, so nothing was checked there");
            Assert.Contains($"@{userName}:localhost", notified[0], StringComparison.Ordinal);
            Assert.Contains($"@{invitee}:localhost", notified[0], StringComparison.Ordinal);
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
    }

    private static async Task Expect(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 180 && !await condition(); i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        }
    }

    /// <summary>
    /// Closes the dialog that shows <paramref name="shown"/>, whatever kind it is: Escape first (a message box and the
    /// older command-result dialog both take it), then any of their buttons, so that the test fails on what the
    /// dashboard keeps, never on how a dialog closes.
    /// </summary>
    private static async Task CloseDialogAsync(IPage page, ILocator shown)
    {
        await page.Keyboard.PressAsync("Escape");
        await Task.Delay(TimeSpan.FromSeconds(2), Ct);
        if (await shown.CountAsync() == 0)
        {
            return;
        }

        var button = page.Locator("fluent-button:visible").Filter(new() { HasTextRegex = new Regex("^\\s*(Done|Close|OK)\\s*$") });
        if (await button.CountAsync() > 0)
        {
            await button.Last.ClickAsync();
        }

        await shown.WaitForAsync(new() { State = WaitForSelectorState.Detached, Timeout = 30_000 });
    }

    [GeneratedRegex(@"Password:\s*(\S+)")]
    private static partial Regex PasswordLine();

    [GeneratedRegex(@"/join/([A-Za-z0-9_.~%-]+)")]
    private static partial Regex InviteToken();

    [GeneratedRegex("^Create an account for someone in the family")]
    private static partial Regex AddFamilyMemberButton();

    [GeneratedRegex("^Make a one-time link")]
    private static partial Regex InviteLinkButton();
}
