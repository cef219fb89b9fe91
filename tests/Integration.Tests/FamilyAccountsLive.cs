using System.Text.RegularExpressions;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace DendriteAspire.Integration.Tests;

/// <summary>What the account tests share: the bootstrap admin's values, log lines, dashboard commands by the testing API.</summary>
public static partial class FamilyAccountsLive
{
    public const string AdminPasswordParameter = "dendrite-admin-password";
    public const string AdminUserName = "admin";

    /// <summary>Waits for a line of <paramref name="resource"/>'s log that matches; returns it.</summary>
    public static async Task<string> WaitForLogLineAsync(DendriteApp app, string resource, Func<string, bool> match, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var seen = new List<string>();
        var logs = app.App.Services.GetRequiredService<ResourceLoggerService>();
        try
        {
            await foreach (var batch in logs.WatchAsync(Resource(app, resource)).WithCancellation(deadline.Token))
            {
                foreach (var line in batch)
                {
                    seen.Add(line.Content);
                    if (match(line.Content))
                    {
                        return line.Content;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }

        throw new TimeoutException($"no matching line in {resource}'s log within {timeout.TotalSeconds:0} s; last lines:\n{string.Join('\n', seen.TakeLast(20))}");
    }

    /// <summary>Every line of <paramref name="resource"/>'s log so far.</summary>
    public static async Task<IReadOnlyList<string>> LogLinesAsync(DendriteApp app, string resource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        var lines = new List<string>();
        using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        quiet.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            await foreach (var batch in app.App.Services.GetRequiredService<ResourceLoggerService>().WatchAsync(Resource(app, resource)).WithCancellation(quiet.Token))
            {
                lines.AddRange(batch.Select(l => l.Content));
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }

        return lines;
    }

    /// <summary>The model resource: its log lives under the name DCP gave the container (dendrite-abcdwxyz).</summary>
    private static IResource Resource(DendriteApp app, string name) => app.Model.Resources.Single(r => r.Name == name);

    /// <summary>Runs a dashboard command with its inputs supplied by name, as the dashboard's dialog would.</summary>
    public static Task<ExecuteCommandResult> RunCommandAsync(DendriteApp app, string command, IReadOnlyDictionary<string, string> inputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        var arguments = new InteractionInputCollection([.. inputs.Select(pair => new InteractionInput
        {
            Name = pair.Key,
            Label = pair.Key,
            InputType = pair.Value is "true" or "false" ? InputType.Boolean : InputType.Text,
            Value = pair.Value,
        })]);
        return app.App.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync("dendrite", command, arguments, cancellationToken);
    }

    /// <summary>The password a command's result dialog shows once.</summary>
    public static string PasswordShownBy(ExecuteCommandResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Assert.True(result.Success, $"command failed: {result.Message}");
        var value = result.Data?.Value ?? throw new InvalidOperationException($"no result data: {result.Message}");
        Assert.True(result.Data.DisplayImmediately, "the password must be shown at once, in the result dialog");
        var match = PasswordLine().Match(value);
        Assert.True(match.Success, $"no password in the result: {value}");
        return match.Groups[1].Value;
    }

    [GeneratedRegex("Password: `([^`]+)`")]
    private static partial Regex PasswordLine();
}
