using System.CommandLine;
using DendriteAspire.Admin.Accounts;
using DendriteAspire.Admin.Matrix;

namespace DendriteAspire.Admin.Cli;

/// <summary>
/// What every command shares: <c>--homeserver</c>, <c>--server-name</c>, and turning outcomes into the documented
/// exit codes (<see cref="ExitCodes"/>): a Dendrite refusal prints its errcode and exits 1, bad input exits 2.
/// </summary>
internal abstract class AdminCommand : Command
{
    protected AdminCommand(string name, string description, CliEnvironment environment)
        : base(name, description)
    {
        Environment = environment;
        Options.Add(HomeserverOption);
        Options.Add(ServerNameOption);
        SetAction((result, cancellationToken) => RunAsync(result, cancellationToken));
    }

    protected CliEnvironment Environment { get; }

    protected Option<Uri> HomeserverOption { get; } = AdminOptions.Homeserver();

    protected Option<string> ServerNameOption { get; } = AdminOptions.ServerName();

    /// <summary>The command's work, given the operations on the homeserver; returns the exit code.</summary>
    protected abstract Task<int> ExecuteAsync(ParseResult result, Func<FamilyAccountsOptions, FamilyAccounts> connect, CancellationToken cancellationToken);

    private async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var homeserver = result.GetRequiredValue(HomeserverOption);
        var serverName = result.GetValue(ServerNameOption);
        using var http = Environment.CreateHttpClient(homeserver);
        var client = new DendriteAdminClient(http);
        var opened = new List<FamilyAccounts>();
        try
        {
            return await ExecuteAsync(result, options =>
            {
                var accounts = new FamilyAccounts(client, options with { ServerName = options.ServerName ?? serverName });
                opened.Add(accounts);
                return accounts;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            return Fail(ExitCodes.BadInput, e.Message);
        }
        catch (CredentialException e)
        {
            return Fail(ExitCodes.BadInput, e.Message);
        }
        catch (InvalidOperationException e)
        {
            return Fail(ExitCodes.BadInput, e.Message);
        }
        catch (MatrixApiException e)
        {
            Environment.Stderr.WriteLine($"error: {e.Message}");
            Environment.Stderr.WriteLine($"errcode: {e.ErrorCodeOrStatus}");
            return ExitCodes.Refused;
        }
        catch (HttpRequestException e)
        {
            return Fail(ExitCodes.Refused, $"cannot reach the homeserver at {homeserver}: {e.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Fail(ExitCodes.Refused, $"the homeserver at {homeserver} did not answer within {CliEnvironment.RequestTimeout.TotalSeconds:0} s");
        }
        finally
        {
            foreach (var accounts in opened)
            {
                await accounts.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    protected int Fail(int exitCode, string message)
    {
        Environment.Stderr.WriteLine($"error: {message}");
        return exitCode;
    }
}
