using System.Net;
using System.Text.RegularExpressions;

namespace DendriteAspire.Onboarding.Tests;

/// <summary>Reading server-rendered pages the way a browser without JavaScript would.</summary>
internal static partial class Pages
{
    public static async Task<(HttpStatusCode Status, string Html)> GetAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url, TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>Submits the page's form (with its antiforgery token) to <paramref name="url"/>.</summary>
    public static async Task<(HttpStatusCode Status, string Html)> PostFormAsync(HttpClient client, string url, string pageHtml, params (string Name, string Value)[] fields)
    {
        var form = fields.ToDictionary(f => f.Name, f => f.Value);
        form["__RequestVerificationToken"] = AntiforgeryToken(pageHtml);
        using var content = new FormUrlEncodedContent(form);
        using var response = await client.PostAsync(url, content, TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    public static string AntiforgeryToken(string html) =>
        Antiforgery().Match(html) is { Success: true } match ? WebUtility.HtmlDecode(match.Groups[1].Value) : throw new InvalidOperationException("the page has no antiforgery token");

    public static string Heading(string html) =>
        WebUtility.HtmlDecode(H1().Match(html).Groups[1].Value.Trim());

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();

    [GeneratedRegex("<h1>(.*?)</h1>", RegexOptions.Singleline)]
    private static partial Regex H1();
}
