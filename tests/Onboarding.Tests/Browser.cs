using Microsoft.Playwright;

namespace DendriteAspire.Onboarding.Tests;

/// <summary>
/// Debian's Chromium driven by Playwright (no browser download). Skips with the reason when
/// <c>/usr/bin/chromium</c> is missing, and fails instead under <c>DENDRITE_LIVE=required</c>.
/// </summary>
public static class Browser
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] Arguments =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    /// <summary>Screenshots go to <c>screenshots/</c> under the test output.</summary>
    public static string ScreenshotDirectory { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            const string Reason = $"{ChromiumPath} is missing; install it with 'apt-get install -y chromium'.";
            if (string.Equals(Environment.GetEnvironmentVariable("DENDRITE_LIVE"), "required", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail(Reason + " DENDRITE_LIVE=required makes this a failure.");
            }

            Assert.Skip(Reason);
        }

        var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true, Args = Arguments });
        return (playwright, browser);
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });
}
