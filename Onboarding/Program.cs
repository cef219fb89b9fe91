using DendriteAspire.Onboarding;
using DendriteAspire.Onboarding.Api;
using DendriteAspire.Onboarding.Homeserver;
using DendriteAspire.Onboarding.Invites;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();

// What the AppHost hands this service, as one typed contract; a missing or wrong value stops the start, naming it.
var options = builder.Configuration.GetSection(OnboardingOptions.SectionName).Get<OnboardingOptions>() ?? new OnboardingOptions();
builder.Services.AddOptions<OnboardingOptions>()
    .BindConfiguration(OnboardingOptions.SectionName)
    .ValidateOnStart();
builder.Services.AddSingleton<IValidateOptions<OnboardingOptions>, OnboardingOptionsValidation>();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<InviteStore>();
builder.Services.AddSingleton<OnboardingMetrics>();
builder.Services.AddScoped<InviteIssuer>();
builder.Services.AddFamilyHomeserver();
builder.Services.AddProxyTrust();

// Sign-in cookies and antiforgery tokens must survive restarts: the keys live on the data volume.
builder.Services.AddDataProtection()
    .SetApplicationName("dendrite-aspire-onboarding")
    .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(Path.GetFullPath(options.DataDirectory), "keys")));

// Both cookies: never readable by scripts, never sent from another site, and Secure whenever relatives reach the
// service over https (TLS usually ends at the Ingress, so the request itself may be plain http).
var secure = options.PublicUrl.Scheme == Uri.UriSchemeHttps ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
    .AddCookie(cookie =>
    {
        cookie.Cookie.Name = AdminSession.CookieName;
        cookie.Cookie.Path = "/admin";
        cookie.Cookie.HttpOnly = true;
        cookie.Cookie.SameSite = SameSiteMode.Strict;
        cookie.Cookie.SecurePolicy = secure;
        cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
        cookie.LoginPath = "/admin";
        cookie.Events.OnValidatePrincipal = AdminSession.ValidateAsync;
    });
builder.Services.AddAntiforgery(antiforgery =>
{
    antiforgery.Cookie.Name = "onboarding-antiforgery";
    antiforgery.Cookie.HttpOnly = true;
    antiforgery.Cookie.SameSite = SameSiteMode.Strict;
    antiforgery.Cookie.SecurePolicy = secure;
});
builder.Services.AddAuthorization();
builder.Services.AddRazorPages();
builder.Services.AddProblemDetails();
builder.Services.AddOnboardingRateLimits(options);

var app = builder.Build();

// Bad input: every problem with the contract named (Onboarding:<key>: ...), exit 2, before anything listens. When
// something else hosts this entry point (the tests' WebApplicationFactory), the exception goes to it instead.
try
{
    _ = app.Services.GetRequiredService<IOptions<OnboardingOptions>>().Value;
}
catch (OptionsValidationException e) when (System.Reflection.Assembly.GetEntryAssembly() == typeof(Program).Assembly)
{
    foreach (var problem in e.Failures)
    {
        Console.Error.WriteLine($"error: {problem}");
    }

    return 2;
}

// First: every later step (the rate limits above all) sees the client's address, taken from X-Forwarded-For only
// when the connection comes from a trusted proxy (Onboarding:TrustedProxies). With none, the middleware stays out:
// with empty lists it would trust every address.
if (options.TrustedProxies.Any(t => !string.IsNullOrWhiteSpace(t)))
{
    app.UseForwardedHeaders();
}

// Relatives reach the service only at its public URL; when that is https, TLS ended at the Ingress and the request
// counts as https here too (so the antiforgery cookie, like the admin cookie, is Secure).
if (secure == CookieSecurePolicy.Always)
{
    app.Use((context, next) =>
    {
        context.Request.Scheme = Uri.UriSchemeHttps;
        return next(context);
    });
}

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error");
}

app.UseStatusCodePages();
app.UseRouting();
app.UseRateLimiter();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapGet("/", () => Results.Redirect("/admin"));
app.MapRazorPages();
app.MapInviteApi();
app.MapDefaultEndpoints();

app.Run();
return 0;

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
