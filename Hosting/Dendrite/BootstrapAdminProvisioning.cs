using DendriteAspire.Admin.Matrix;
using Microsoft.Extensions.Logging;

namespace DendriteAspire.Hosting;

/// <summary>
/// Makes sure the bootstrap admin exists once Dendrite is healthy (run on <see cref="ResourceReadyEvent"/>):
/// an existing account is left alone and its password never changed; a missing one is created as an admin. The
/// outcome is written to the <c>dendrite</c> resource's log, never the password. A failure is logged, not thrown:
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
