using DendriteAspire.Admin.Accounts;
using DendriteAspire.Admin.Matrix;

namespace DendriteAspire.Onboarding.Homeserver;

/// <summary>
/// Registers the HttpClient to Dendrite (found through service discovery) and the Admin library's
/// <see cref="FamilyAccounts"/> over it, with the registration secret and the bootstrap admin.
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

        // DendriteAdminClient is the one place that retries calls to Dendrite, and only what is safe to send twice
        // (429 for any method, failures on the way for GET). It marks its requests so that ServiceDefaults' standard
        // handler keeps its timeouts and circuit breaker for them but never retries them: a registration that timed
        // out after Dendrite accepted it must not be sent again.
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
                    BootstrapAdmin = section["AdminUserName"] is { Length: > 0 } bootstrap ? UserName.Parse(bootstrap) : null,
                    ServerName = section["ServerName"],
                });
        });
        services.AddSingleton<FamilyRoom>();
        services.AddSingleton<IFamilyHomeserver, DendriteHomeserver>();
        return services;
    }
}
