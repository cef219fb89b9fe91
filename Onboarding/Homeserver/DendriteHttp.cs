using DendriteAspire.Admin.Accounts;
using DendriteAspire.Admin.Matrix;
using Microsoft.Extensions.Options;

namespace DendriteAspire.Onboarding.Homeserver;

/// <summary>
/// Registers the HttpClient to Dendrite (<see cref="OnboardingOptions.DendriteUrl"/>, found through service discovery,
/// with ServiceDefaults' resilience) and the Admin library's <see cref="FamilyAccounts"/> over it, with the
/// registration secret and the bootstrap admin from the same options.
/// </summary>
public static class DendriteHttp
{
    /// <summary>The named HttpClient; tests replace its primary handler, and nothing else.</summary>
    public const string ClientName = "dendrite";

    /// <summary>Adds <see cref="IFamilyHomeserver"/> and what it needs.</summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddFamilyHomeserver(this IServiceCollection services)
    {
        services.AddHttpClient(ClientName, (provider, http) =>
            http.BaseAddress = provider.GetRequiredService<IOptions<OnboardingOptions>>().Value.DendriteUrl);

        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<OnboardingOptions>>().Value;
            var admin = options.AdminUserName is { Length: > 0 } name && options.AdminPassword is { Length: > 0 } password
                ? new AdminCredentials(UserName.Parse(name), password)
                : null;
            return new FamilyAccounts(
                new DendriteAdminClient(provider.GetRequiredService<IHttpClientFactory>().CreateClient(ClientName)),
                new FamilyAccountsOptions
                {
                    SharedSecret = options.RegistrationSecret,
                    Admin = admin,
                    ServerName = options.ServerName,
                });
        });
        services.AddSingleton<FamilyRoom>();
        services.AddSingleton<IFamilyHomeserver, DendriteHomeserver>();
        return services;
    }
}
