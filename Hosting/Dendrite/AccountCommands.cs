using System.Globalization;
using System.Text;
using DendriteAspire.Admin.Accounts;
using DendriteAspire.Admin.Matrix;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DendriteAspire.Hosting;

/// <summary>
/// The dashboard commands on <c>dendrite</c>: add a family member, reset a password, remove access. Their inputs are
/// declared command arguments, which Aspire asks for through its interaction service (the dashboard's inputs dialog)
/// and which API clients and tests supply by name (<see cref="ResourceCommandService"/>). Enabled only while Dendrite
/// is healthy. A new or reset password appears once, in a message box that is gone once closed (<see cref="SecretDialog"/>),
/// never in the command result the dashboard keeps and replays; it never goes to logs or telemetry.
/// </summary>
internal static class AccountCommands
{
    public const string AddFamilyMember = "add-family-member";
    public const string ResetPassword = "reset-password";
    public const string RemoveAccess = "remove-access";

    public const string UserNameInput = "userName";
    public const string DisplayNameInput = "displayName";
    public const string AdminInput = "admin";

    public static void Add(IResourceBuilder<DendriteResource> builder, DendriteAccounts connection)
    {
        builder.WithCommand(AddFamilyMember, "Add family member", context => AddAsync(connection, context.Arguments, context.CancellationToken, context.Services), new CommandOptions
        {
            Description = "Create an account for someone in the family; shows their user id and a password once.",
            IconName = "PersonAdd",
            IsHighlighted = true,
            UpdateState = EnabledWhileHealthy,
            Arguments = [UserName("The new person's user name: lower-case letters, digits and . _ = - /, for example alice."),
                new InteractionInput { Name = DisplayNameInput, Label = "Display name", InputType = InputType.Text, Required = false, Placeholder = "Alice Smith", MaxLength = 256 },
                new InteractionInput { Name = AdminInput, Label = "Admin (may add and remove family members)", InputType = InputType.Boolean, Required = false }],
            ValidateArguments = ValidateUserName,
        });

        builder.WithCommand(ResetPassword, "Reset password", context => ResetAsync(connection, context.Arguments, context.CancellationToken, context.Services), new CommandOptions
        {
            Description = "Give someone a new password and sign them out everywhere; shows the new password once.",
            IconName = "Key",
            UpdateState = EnabledWhileHealthy,
            Arguments = [UserName("The user name whose password to reset, for example alice.")],
            ValidateArguments = ValidateUserName,
        });

        builder.WithCommand(RemoveAccess, "Remove access", context => RemoveAsync(connection, context.Arguments, context.CancellationToken), new CommandOptions
        {
            Description = "Stop someone signing in: a password nobody knows, every session ended, every room left.",
            IconName = "PersonDelete",
            ConfirmationMessage = "Remove this person's access? They are signed out everywhere, can no longer sign in and leave every room. Their messages stay.",
            UpdateState = EnabledWhileHealthy,
            Arguments = [UserName("The user name to lock out, for example alice.")],
            ValidateArguments = ValidateUserName,
        });
    }

    internal static async Task<ExecuteCommandResult> AddAsync(DendriteAccounts connection, InteractionInputCollection arguments, CancellationToken cancellationToken, IServiceProvider? services = null)
    {
        try
        {
            var accounts = await connection.GetAsync(cancellationToken).ConfigureAwait(false);
            var account = new NewAccount(
                Admin.Accounts.UserName.Parse(Value(arguments, UserNameInput)?.Trim() ?? ""),
                Value(arguments, DisplayNameInput),
                bool.TryParse(Value(arguments, AdminInput), out var admin) && admin);
            var created = await accounts.CreateAccountAsync(account, cancellationToken).ConfigureAwait(false);
            var text = new StringBuilder()
                .AppendLine(CultureInfo.InvariantCulture, $"**{created.UserId}** can sign in now{(created.IsAdmin ? ", as an admin" : "")}.")
                .AppendLine()
                .AppendLine(CultureInfo.InvariantCulture, $"- Homeserver: `{connection.Homeserver.ToString().TrimEnd('/')}`")
                .AppendLine(CultureInfo.InvariantCulture, $"- User id: `{created.UserId}`")
                .AppendLine(CultureInfo.InvariantCulture, $"- Password: `{created.Password}`")
                .AppendLine()
                .AppendLine("This password is shown only now. Give it to them privately; they can change it in their Matrix client.");
            if (created.DisplayNameProblem is { } problem)
            {
                text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"The display name was not set: {problem}. They can set it in their client.");
            }

            // The password goes into a dialog that is gone once closed, never into the result the dashboard keeps.
            if (services is not null && await SecretDialog.ShowAsync(services, $"Added {created.UserId}", text.ToString(), cancellationToken).ConfigureAwait(false))
            {
                return CommandResults.Success($"Added {created.UserId}; the password was shown once and is not kept.");
            }

            return CommandResults.Success($"Added {created.UserId}", text.ToString(), CommandResultFormat.Markdown, displayImmediately: true);
        }
        catch (Exception e) when (IsExpected(e))
        {
            return CommandResults.Failure(Describe(e));
        }
    }

    internal static async Task<ExecuteCommandResult> ResetAsync(DendriteAccounts connection, InteractionInputCollection arguments, CancellationToken cancellationToken, IServiceProvider? services = null)
    {
        try
        {
            var accounts = await connection.GetAsync(cancellationToken).ConfigureAwait(false);
            var reset = await accounts.ResetPasswordAsync(
                Admin.Accounts.UserName.Parse(Value(arguments, UserNameInput)?.Trim() ?? ""), cancellationToken: cancellationToken).ConfigureAwait(false);
            var text = new StringBuilder()
                .AppendLine(CultureInfo.InvariantCulture, $"**{reset.UserId}** has a new password and was signed out everywhere.")
                .AppendLine()
                .AppendLine(CultureInfo.InvariantCulture, $"- Password: `{reset.Password}`")
                .AppendLine()
                .AppendLine("This password is shown only now. Give it to them privately.");
            if (services is not null && await SecretDialog.ShowAsync(services, $"New password for {reset.UserId}", text.ToString(), cancellationToken).ConfigureAwait(false))
            {
                return CommandResults.Success($"Reset the password of {reset.UserId}; the new password was shown once and is not kept.");
            }

            return CommandResults.Success($"Reset the password of {reset.UserId}", text.ToString(), CommandResultFormat.Markdown, displayImmediately: true);
        }
        catch (Exception e) when (IsExpected(e))
        {
            return CommandResults.Failure(Describe(e));
        }
    }

    internal static async Task<ExecuteCommandResult> RemoveAsync(DendriteAccounts connection, InteractionInputCollection arguments, CancellationToken cancellationToken)
    {
        try
        {
            var accounts = await connection.GetAsync(cancellationToken).ConfigureAwait(false);
            var removed = await accounts.RemoveAccessAsync(
                Admin.Accounts.UserName.Parse(Value(arguments, UserNameInput)?.Trim() ?? ""), cancellationToken).ConfigureAwait(false);
            return removed.IsComplete
                ? CommandResults.Success(string.Create(CultureInfo.InvariantCulture,
                    $"Removed the access of {removed.UserId}: signed out everywhere, cannot sign in, left {removed.RoomsLeft.Count} room(s)"))
                : CommandResults.Failure(
                    $"{removed.UserId} can no longer sign in (password replaced, signed out everywhere), but leaving the rooms failed: {removed.RoomsProblem}. Run Remove access again.");
        }
        catch (Exception e) when (IsExpected(e))
        {
            return CommandResults.Failure(Describe(e));
        }
    }

    /// <summary>An input's value; null when it was left out or empty (an unticked box, no display name).</summary>
    private static string? Value(InteractionInputCollection arguments, string name) =>
        arguments.TryGetByName(name, out var input) && !string.IsNullOrWhiteSpace(input.Value) ? input.Value : null;

    /// <summary>The user name input, checked against the Matrix rules before the command runs.</summary>
    private static InteractionInput UserName(string description) => new()
    {
        Name = UserNameInput,
        Label = "User name",
        Description = description,
        InputType = InputType.Text,
        Required = true,
        Placeholder = "alice",
        MaxLength = Admin.Accounts.UserName.MaxUserIdBytes,
    };

    private static Task ValidateUserName(InputsDialogValidationContext context)
    {
        if (context.Inputs.TryGetByName(UserNameInput, out var input) &&
            !Admin.Accounts.UserName.TryParse(input.Value?.Trim(), out _, out var problem))
        {
            context.AddValidationError(input, problem!.Message);
        }

        return Task.CompletedTask;
    }

    private static ResourceCommandState EnabledWhileHealthy(UpdateCommandStateContext context) =>
        context.ResourceSnapshot.HealthStatus == HealthStatus.Healthy ? ResourceCommandState.Enabled : ResourceCommandState.Disabled;

    private static bool IsExpected(Exception e) =>
        e is MatrixApiException or HttpRequestException or ArgumentException or InvalidOperationException
        || (e is TaskCanceledException && e.InnerException is TimeoutException);

    /// <summary>The failure in the admin's words, with Dendrite's errcode and reason when Dendrite refused.</summary>
    internal static string Describe(Exception e) => e switch
    {
        MatrixApiException matrix when matrix.Message.Contains(matrix.Reason, StringComparison.Ordinal) => matrix.Message,
        MatrixApiException matrix => $"{matrix.Message} (Dendrite: {matrix.ErrorCodeOrStatus}: {matrix.Reason})",
        HttpRequestException http => $"Dendrite could not be reached: {http.Message}",
        _ => e.Message,
    };
}
