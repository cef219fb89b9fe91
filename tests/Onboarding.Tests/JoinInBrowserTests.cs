using Microsoft.Playwright;

namespace DendriteAspire.Onboarding.Tests;

/// <summary>
/// A relative's path in a real browser against the real service on Kestrel (Dendrite faked at the HttpClient
/// boundary): open the link, pick a password, see the success page; the link is then spent, and a changed link is
/// refused. Located by label and role, so the form's accessibility is checked too.
/// </summary>
public sealed class JoinInBrowserTests
{
    [Fact]
    public async Task Grandma_opens_her_link_picks_a_password_and_lands_on_the_welcome_page()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        await using var factory = new OnboardingFactory(kestrel: true);
        factory.StartServer();
        var link = await factory.CreateLinkAsync("grandma", "Grandma");
        Assert.StartsWith(factory.PublicUrl + "/join/", link, StringComparison.Ordinal);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { JavaScriptEnabled = false });

        await page.GotoAsync(link);
        Assert.Equal("Join the family chat", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).TextContentAsync());
        Assert.Contains("@grandma:family.example", await page.ContentAsync(), StringComparison.Ordinal);
        await Browser.ScreenshotAsync(page, "join-form");

        await page.GetByLabel("Choose a password").FillAsync("grandma's own password");
        await page.GetByLabel("Type the password again").FillAsync("grandma's own passwort");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create my account" }).ClickAsync();
        Assert.Contains("not the same", await page.GetByRole(AriaRole.Alert).TextContentAsync(), StringComparison.Ordinal);
        await Browser.ScreenshotAsync(page, "join-form-mismatch");

        await page.GetByLabel("Choose a password").FillAsync("grandma's own password");
        await page.GetByLabel("Type the password again").FillAsync("grandma's own password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create my account" }).ClickAsync();

        Assert.Equal("Welcome to the family chat", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).TextContentAsync());
        var element = page.GetByRole(AriaRole.Link, new() { Name = "Open the family chat in your browser" });
        Assert.Equal("https://chat.family.example/", await element.GetAttributeAsync("href"));
        Assert.Contains("https://matrix.family.example", await page.ContentAsync(), StringComparison.Ordinal);
        await Browser.ScreenshotAsync(page, "join-success");
        Assert.Equal("grandma's own password", factory.Dendrite.Accounts["@grandma:family.example"].Password);

        await page.GotoAsync(link);
        Assert.Equal("This link was used already", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).TextContentAsync());
        await Browser.ScreenshotAsync(page, "join-used");

        var token = link[(link.LastIndexOf('/') + 1)..];
        var at = token.IndexOf('.', StringComparison.Ordinal) + 3;
        await page.GotoAsync(link[..(link.LastIndexOf('/') + 1)] + token[..at] + (token[at] == 'A' ? 'B' : 'A') + token[(at + 1)..]);
        Assert.Equal("This link does not work", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).TextContentAsync());
        await Browser.ScreenshotAsync(page, "join-invalid");
    }
}
