using System.Net;
using System.Text.RegularExpressions;

namespace DendriteAspire.Onboarding.Tests;

/// <summary>
/// The cookies and forms as a browser meets them over a real Kestrel socket: the public URL is https (TLS ends at
/// the Ingress), the request itself is plain http, and both cookies must still be Secure, HttpOnly and SameSite=Strict.
/// </summary>
public sealed partial class CookieAndFormTests
{
    private static HttpClient RawClient(OnboardingFactory factory) =>
        new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri($"http://127.0.0.1:{factory.Port}") };

    private static string Cookie(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.FirstOrDefault(c => c.StartsWith(name + "=", StringComparison.Ordinal)) is { } cookie
            ? cookie
            : throw new InvalidOperationException($"no {name} cookie in {string.Join(" | ", response.Headers.Select(h => h.Key))}");

    private static void AssertLockedDown(string cookie)
    {
        var attributes = cookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).ToList();
        Assert.Contains("secure", attributes);
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=strict", attributes);
    }

    [Fact]
    public async Task With_an_https_public_url_both_cookies_are_secure_httponly_and_samesite_strict_over_plain_http()
    {
        await using var factory = new OnboardingFactory(kestrel: true, publicUrl: "https://join.family.example");
        factory.StartServer();
        factory.Dendrite.AddAccount("mum", "mum's password", admin: true);
        using var http = RawClient(factory);

        using var form = await http.GetAsync("/admin", TestContext.Current.CancellationToken);
        var html = await form.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var antiforgery = Cookie(form, "onboarding-antiforgery");
        AssertLockedDown(antiforgery);

        using var signIn = new HttpRequestMessage(HttpMethod.Post, "/admin?handler=SignIn")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["userName"] = "mum",
                ["password"] = "mum's password",
                ["__RequestVerificationToken"] = Pages.AntiforgeryToken(html),
            }),
        };
        signIn.Headers.Add("Cookie", antiforgery.Split(';')[0]);
        using var signedIn = await http.SendAsync(signIn, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var admin = Cookie(signedIn, "onboarding-admin");
        AssertLockedDown(admin);
        Assert.Contains("path=/admin", admin.ToLowerInvariant(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_an_http_public_url_a_local_run_still_gets_httponly_samesite_strict_cookies()
    {
        await using var factory = new OnboardingFactory(kestrel: true);
        factory.StartServer();
        using var http = RawClient(factory);

        using var form = await http.GetAsync("/admin", TestContext.Current.CancellationToken);
        var antiforgery = Cookie(form, "onboarding-antiforgery").ToLowerInvariant();

        Assert.Contains("httponly", antiforgery, StringComparison.Ordinal);
        Assert.Contains("samesite=strict", antiforgery, StringComparison.Ordinal);
        Assert.DoesNotContain("secure", antiforgery.Replace("samesite", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_form_carries_an_antiforgery_token_and_every_post_without_one_is_refused()
    {
        using var factory = new OnboardingFactory();
        var mum = factory.Dendrite.AddAccount("mum", "mum's password", admin: true);
        var link = await factory.CreateLinkAsync("grandma");
        var client = factory.CreateClient();

        var (_, join) = await Pages.GetAsync(client, link);
        var (_, signInForm) = await Pages.GetAsync(client, "/admin");
        await Pages.PostFormAsync(client, "/admin?handler=SignIn", signInForm, ("userName", "mum"), ("password", "mum's password"));
        var (_, adminPage) = await Pages.GetAsync(client, "/admin");
        Assert.Contains("Signed in as", adminPage, StringComparison.Ordinal);

        var forms = Forms().Matches(join + signInForm + adminPage).Select(m => m.Value).ToList();
        Assert.True(forms.Count >= 7, $"expected the join form, the sign-in form and five admin forms (sign out, invite, revoke, reset, remove), found {forms.Count}");
        Assert.All(forms, form => Assert.Contains("name=\"__RequestVerificationToken\"", form, StringComparison.Ordinal));

        // The same posts without the token: refused before anything changes on Dendrite (the admin session is still
        // checked with two reads first).
        var before = factory.Dendrite.Requests.Count;
        foreach (var target in new[] { link, "/admin?handler=SignIn", "/admin?handler=SignOut", "/admin?handler=Invite", "/admin?handler=Revoke", "/admin?handler=ResetPassword", "/admin?handler=RemoveAccess" })
        {
            using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["userName"] = "grandma", ["password"] = "a password 123", ["confirm"] = "a password 123", ["newPassword"] = "a password 123" });
            using var response = await client.PostAsync(target, content, TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{target}: {(int)response.StatusCode}");
        }

        Assert.DoesNotContain(factory.Dendrite.Requests.Skip(before), r => !r.StartsWith("GET ", StringComparison.Ordinal));
        Assert.NotEmpty(mum);
    }

    [GeneratedRegex("<form[^>]*method=\"post\"[^>]*>.*?</form>", RegexOptions.Singleline)]
    private static partial Regex Forms();
}
