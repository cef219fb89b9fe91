using DendriteAspire.Admin.Accounts;
using DendriteAspire.Admin.Matrix;

namespace DendriteAspire.Onboarding.Homeserver;

/// <summary>
/// Registers the HttpClient to Dendrite (found through service discovery, with ServiceDefaults' resilience) and
/// the Admin library's <see cref="FamilyAccounts"/> over it, with the registration secret and the bootstrap admin.
/// </summary>
public static class DendriteHttp
{
    /// <summary>The named HttpClient; tests replace its primary handler, and nothing else.</summary>
    public const string ClientName = "dendrite";

    /// <summary>Adds <see cref="IFamilyHomeserver"/> and what it needs.</summary>
    public static IServiceCollection AddFamilyHomeserver(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(OnboardingOptions.SectionName);
        services.AddHttpClient(ClientName, (provider, http) =>
            http.BaseAddress = new Uri(section["DendriteUrl"] is { Length: > 0 } url ? url : "http://dendrite"));

        services.AddSingleton(provider =>
        {
            var admin = section["AdminUserName"] is { Length: > 0 } name && section["AdminPassword"] is { Length: > 0 } password
                ? new AdminCredentials(UserName.Parse(name), password)
                : null;
            return new FamilyAccounts(
                new DendriteAdminClient(provider.GetRequiredService<IHttpClientFactory>().CreateClient(ClientName)),
                new FamilyAccountsOptions
                {
                    SharedSecret = section["RegistrationSecret"],
                    Admin = admin,
                    ServerName = section["ServerName"],
                });
        });
        services.AddSingleton<FamilyRoom>();
        services.AddSingleton<IFamilyHomeserver, DendriteHomeserver>();
        return services;
    }
}
