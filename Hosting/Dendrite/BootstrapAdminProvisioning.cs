using DendriteAspire.Admin.Accounts;
using DendriteAspire.Admin.Matrix;
using Microsoft.Extensions.Logging;

namespace DendriteAspire.Hosting;

/// <summary>
/// Makes sure the bootstrap admin exists once Dendrite is healthy (run on <see cref="ResourceReadyEvent"/>):
/// an existing account is left alone and its password never changed; a missing one is created as an admin. The
/// outcome is written to the <c>dendrite</c> resource's log, never the password. Then each family room owner
/// (<see cref="FamilyRoomOwnerAnnotation"/>) is made and handed its room when the bootstrap admin made that room. A failure is logged, not thrown:
/// Dendrite keeps running and the account can be made later from the dashboard or the CLI.
/// </summary>
internal static partial class BootstrapAdminProvisioning
{
    private const int Attempts = 5;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(3);

    public static async Task EnsureAsync(DendriteAccounts connection, ILogger logger, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var accounts = await connection.GetAsync(cancellationToken).ConfigureAwait(false);
                var result = await accounts.EnsureAdminAccountAsync(cancellationToken).ConfigureAwait(false);
                var userId = result.Identity?.UserId ?? result.UserName.ToUserId(connection.Dendrite.Settings.ServerName);
                if (result.Created)
                {
                    LogCreated(logger, userId, connection.Admin.Password.Name);
                }
                else
                {
                    LogExists(logger, userId);
                }

                if (result.SignInProblem is { } problem)
                {
                    LogCannotSignIn(logger, userId, connection.Admin.Password.Name, problem);
                }
                else if (result.Identity is { IsAdmin: false })
                {
                    LogNotAdmin(logger, userId);
                }

                foreach (var owner in connection.Dendrite.Annotations.OfType<FamilyRoomOwnerAnnotation>())
                {
                    await EnsureRoomOwnerAsync(accounts, owner, connection.Dendrite.Settings.ServerName, logger, cancellationToken).ConfigureAwait(false);
                }

                return;
            }
            catch (HttpRequestException e) when (attempt < Attempts)
            {
                LogRetry(logger, e.Message, attempt, Attempts);
                await Task.Delay(RetryDelay, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is MatrixApiException or HttpRequestException or InvalidOperationException or ArgumentException)
            {
                LogFailed(logger, connection.Admin.UserName, e.Message);
                return;
            }
        }
    }

    /// <summary>
    /// Makes the family room's owner (not a server admin) if it is missing, and hands it a family room the bootstrap
    /// admin made before it existed: power level 100 there and an invite, which the onboarding service accepts.
    /// </summary>
    private static async Task EnsureRoomOwnerAsync(FamilyAccounts accounts, FamilyRoomOwnerAnnotation owner, string serverName, ILogger logger, CancellationToken cancellationToken)
    {
        var userName = UserName.Parse(owner.UserName);
        var userId = userName.ToUserId(serverName);
        var password = await owner.Password.GetValueAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"parameter '{owner.Password.Name}' has no value");
        if (await accounts.EnsureAccountAsync(new NewAccount(userName, FamilyRoomOwnerAnnotation.DisplayName, IsAdmin: false, Password: password), cancellationToken).ConfigureAwait(false))
        {
            LogRoomOwnerCreated(logger, userId, owner.Password.Name);
        }

        var alias = $"#{owner.RoomAliasName}:{serverName}";
        try
        {
            if (await accounts.HandOverRoomAsync(alias, userId, cancellationToken).ConfigureAwait(false) == RoomHandover.HandedOver)
            {
                LogHandedOver(logger, alias, userId);
            }
        }
        catch (MatrixApiException e)
        {
            LogHandOverFailed(logger, alias, userId, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Family room owner {UserId} created (not a server admin); its password is the secret parameter {Parameter}.")]
    private static partial void LogRoomOwnerCreated(ILogger logger, string userId, string parameter);

    [LoggerMessage(Level = LogLevel.Information, Message = "Family room {Alias} handed over to {UserId}: power level 100 and an invite, accepted by the onboarding service.")]
    private static partial void LogHandedOver(ILogger logger, string alias, string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Family room {Alias} could not be handed over to {UserId}: {Reason}. Joins through invite links fail until the bootstrap admin can raise {UserId} to power level 100 there.")]
    private static partial void LogHandOverFailed(ILogger logger, string alias, string userId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bootstrap admin {UserId} created; its password is the secret parameter {Parameter}.")]
    private static partial void LogCreated(ILogger logger, string userId, string parameter);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bootstrap admin {UserId} already exists; left unchanged.")]
    private static partial void LogExists(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bootstrap admin {UserId} exists but the password in {Parameter} does not sign in ({Problem}); account commands need it. Reset it with the CLI as another admin, or set {Parameter} to its password.")]
    private static partial void LogCannotSignIn(ILogger logger, string userId, string parameter, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bootstrap admin {UserId} signs in but is not a Dendrite admin; account commands that need the admin API will be refused.")]
    private static partial void LogNotAdmin(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bootstrap admin: Dendrite not reachable yet ({Reason}); attempt {Attempt} of {Attempts}.")]
    private static partial void LogRetry(ILogger logger, string reason, int attempt, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Bootstrap admin {UserName} could not be made: {Reason}")]
    private static partial void LogFailed(ILogger logger, string userName, string reason);
}
