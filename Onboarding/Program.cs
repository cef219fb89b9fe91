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
builder.Services.AddScoped<InviteIssuer>();
builder.Services.AddFamilyHomeserver();

// Sign-in cookies and antiforgery tokens must survive restarts: the keys live on the data volume.
builder.Services.AddDataProtection()
    .SetApplicationName("dendrite-aspire-onboarding")
    .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(Path.GetFullPath(options.DataDirectory), "keys")));
builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
    .AddCookie(cookie =>
    {
        cookie.Cookie.Name = "onboarding-admin";
        cookie.Cookie.HttpOnly = true;
        cookie.Cookie.SameSite = SameSiteMode.Strict;
        cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
        cookie.LoginPath = "/admin";
    });
builder.Services.AddAuthorization();
builder.Services.AddRazorPages();
builder.Services.AddProblemDetails();
builder.Services.AddOnboardingRateLimits(options);

var app = builder.Build();

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

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
