using DendriteAspire.Admin.Accounts;
using DendriteAspire.Admin.Matrix;
using Microsoft.Extensions.Options;

namespace DendriteAspire.Onboarding.Homeserver;

/// <summary>
/// Registers the HttpClient to Dendrite (<see cref="OnboardingOptions.DendriteUrl"/>, found through service discovery,
/// with ServiceDefaults' resilience) and the Admin library's <see cref="FamilyAccounts"/> over it, with the
/// registration secret from the same options (and no admin's password).
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
        // DendriteAdminClient is the one place that retries calls to Dendrite, and only what is safe to send twice
        // (429 for any method, failures on the way for GET). It marks its requests so that ServiceDefaults' standard
        // handler keeps its timeouts and circuit breaker for them but never retries them: a registration that timed
        // out after Dendrite accepted it must not be sent again.
        services.AddHttpClient(ClientName, (provider, http) =>
            http.BaseAddress = provider.GetRequiredService<IOptions<OnboardingOptions>>().Value.DendriteUrl);

        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<OnboardingOptions>>().Value;
            // No admin credentials: accounts are made with the registration secret, the family room is its owner's,
            // and resets and removals act with the signed-in admin's own token.
            return new FamilyAccounts(
                new DendriteAdminClient(provider.GetRequiredService<IHttpClientFactory>().CreateClient(ClientName)),
                new FamilyAccountsOptions
                {
                    SharedSecret = options.RegistrationSecret,
                    BootstrapAdmin = string.IsNullOrWhiteSpace(options.AdminUserName) ? null : UserName.Parse(options.AdminUserName),
                    RoomOwner = UserName.Parse(options.RoomOwnerUserName),
                    ServerName = options.ServerName,
                });
        });
        services.AddSingleton<FamilyRoom>();
        services.AddSingleton<IFamilyHomeserver, DendriteHomeserver>();
        return services;
    }
}
