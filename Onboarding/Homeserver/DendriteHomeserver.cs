using System.Net;
using DendriteAspire.Admin.Accounts;
using DendriteAspire.Admin.Matrix;
using Microsoft.Extensions.Options;

namespace DendriteAspire.Onboarding.Homeserver;

/// <summary>
/// Dendrite through the Admin library: accounts with <see cref="FamilyAccounts"/> (shared-secret registration,
/// reset password, remove access), sign-in and the admin check with <see cref="DendriteAdminClient"/>, and the family
/// room with <see cref="FamilyRoom"/>.
/// </summary>
public sealed class DendriteHomeserver(FamilyAccounts accounts, FamilyRoom room, IOptions<OnboardingOptions> options) : IFamilyHomeserver
{
    private readonly OnboardingOptions _options = options.Value;

    private DendriteAdminClient Client => accounts.Client;

    /// <inheritdoc />
    public Task<bool> IsUserNameTakenAsync(string userName, CancellationToken cancellationToken) =>
        accounts.AccountExistsAsync(UserName.Parse(userName), cancellationToken);

    /// <inheritdoc />
    public async Task CreateAccountAsync(string userName, string password, string? displayName, CancellationToken cancellationToken)
    {
        try
        {
            await accounts.CreateAccountAsync(new NewAccount(UserName.Parse(userName), displayName, IsAdmin: false, Password: password), cancellationToken);
        }
        catch (MatrixApiException e) when (e.ErrorCode == MatrixErrorCodes.UserInUse)
        {
            throw new UserNameTakenException(userName);
        }
    }

    /// <inheritdoc />
    public Task JoinFamilyRoomAsync(MatrixSession user, CancellationToken cancellationToken) =>
        room.JoinAsync(user, cancellationToken);

    /// <inheritdoc />
    public async Task<MatrixSession?> LoginAsync(string userName, string password, string deviceName, CancellationToken cancellationToken)
    {
        try
        {
            var session = await Client.LoginAsync(userName, password, deviceName, cancellationToken);
            return new MatrixSession(session.UserId, session.AccessToken);
        }
        catch (MatrixApiException e) when (e.ErrorCode == MatrixErrorCodes.Forbidden || e.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task LogoutAsync(string accessToken, CancellationToken cancellationToken)
    {
        try
        {
            await Client.LogoutAsync(accessToken, cancellationToken);
        }
        catch (MatrixApiException e) when (e.ErrorCode == MatrixErrorCodes.UnknownToken || e.StatusCode == HttpStatusCode.Unauthorized)
        {
            // Ended already (signed out elsewhere, or the password was reset): what we wanted.
        }
    }

    /// <inheritdoc />
    public async Task<string?> WhoAmIAsync(string accessToken, CancellationToken cancellationToken)
    {
        try
        {
            return await Client.WhoAmIAsync(accessToken, cancellationToken);
        }
        catch (MatrixApiException e) when (e.ErrorCode == MatrixErrorCodes.UnknownToken || e.StatusCode == HttpStatusCode.Unauthorized)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public Task<bool> IsAdminAsync(MatrixSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        return Client.IsAdminAsync(session.AccessToken, cancellationToken);
    }

    /// <inheritdoc />
    public Task ResetPasswordAsync(MatrixSession admin, string userName, string newPassword, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admin);
        return accounts.ResetPasswordAsync(UserName.Parse(userName), newPassword, Acting(admin), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<string?> RemoveAccessAsync(MatrixSession admin, string userName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admin);
        return (await accounts.RemoveAccessAsync(UserName.Parse(userName), Acting(admin), cancellationToken)).RoomsProblem;
    }

    /// <inheritdoc />
    public string? ProtectedRole(string userName) =>
        UserName.TryParse(userName, out var parsed, out _) ? accounts.ProtectedRole(parsed) : null;

    /// <inheritdoc />
    public string? UserNameProblem(string userName)
    {
        if (!UserName.TryParse(userName, out var parsed, out var problem))
        {
            return problem!.Message;
        }

        try
        {
            parsed.ToUserId(_options.ServerName);
            return null;
        }
        catch (InvalidUserNameException e)
        {
            return e.Message;
        }
    }

    private static Admin.Matrix.MatrixSession Acting(MatrixSession admin) => new(admin.UserId, admin.AccessToken, null);
}
