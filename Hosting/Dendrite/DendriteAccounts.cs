using DendriteAspire.Admin.Accounts;
using DendriteAspire.Admin.Matrix;

namespace DendriteAspire.Hosting;

/// <summary>
/// The AppHost's connection to a running Dendrite for account work: one <see cref="FamilyAccounts"/> over the
/// <c>http</c> endpoint, with the registration shared secret and the bootstrap admin's credentials from their
/// parameters. Made on first use (the endpoint is allocated only once the app runs) and again if the endpoint moves.
/// </summary>
#pragma warning disable CA1001 // Lives as long as the app model; the HTTP client and the admin session end with the process.
internal sealed class DendriteAccounts(DendriteResource dendrite, BootstrapAdminAnnotation admin)
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);
    private readonly SemaphoreSlim _gate = new(1, 1);
#pragma warning restore CA1001
    private (Uri Homeserver, HttpClient Http, FamilyAccounts Accounts)? _current;

    public DendriteResource Dendrite { get; } = dendrite;

    public BootstrapAdminAnnotation Admin { get; } = admin;

    /// <summary>The homeserver URL as the AppHost reaches it.</summary>
    public Uri Homeserver => new(Dendrite.HttpEndpoint.Url);

    public async Task<FamilyAccounts> GetAsync(CancellationToken cancellationToken)
    {
        var homeserver = Homeserver;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_current is { } current && current.Homeserver == homeserver)
            {
                return current.Accounts;
            }

            var secret = Dendrite.RegistrationSharedSecret
                ?? throw new InvalidOperationException($"'{Dendrite.Name}' has no registration shared secret parameter");
            var options = new FamilyAccountsOptions
            {
                SharedSecret = await secret.GetValueAsync(cancellationToken).ConfigureAwait(false),
                Admin = new AdminCredentials(
                    UserName.Parse(Admin.UserName),
                    await Admin.Password.GetValueAsync(cancellationToken).ConfigureAwait(false)
                        ?? throw new InvalidOperationException($"parameter '{Admin.Password.Name}' has no value")),
                BootstrapAdmin = UserName.Parse(Admin.UserName),
                RoomOwner = UserName.Parse(Dendrite.Annotations.OfType<FamilyRoomOwnerAnnotation>().FirstOrDefault()?.UserName ?? FamilyAccountsOptions.DefaultRoomOwner),
                ServerName = Dendrite.Settings.ServerName,
            };

#pragma warning disable CA2000 // Kept for the app's lifetime, like the resource itself; replaced only when the endpoint moves.
            var http = new HttpClient { BaseAddress = homeserver, Timeout = RequestTimeout };
#pragma warning restore CA2000
            var accounts = new FamilyAccounts(new DendriteAdminClient(http), options);
            if (_current is { } previous)
            {
                await previous.Accounts.DisposeAsync().ConfigureAwait(false);
                previous.Http.Dispose();
            }

            _current = (homeserver, http, accounts);
            return accounts;
        }
        finally
        {
            _gate.Release();
        }
    }
}
