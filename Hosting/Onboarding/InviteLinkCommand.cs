using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using DendriteAspire.Admin.Accounts;
using DendriteAspire.Admin.Matrix;
using DendriteAspire.Onboarding.Api;
using Microsoft.Extensions.DependencyInjection;

namespace DendriteAspire.Hosting;

/// <summary>
/// The dashboard command "Create invite link" on the onboarding resource: asks for a user name, a display name and
/// the validity, signs in as the bootstrap admin through the homeserver's account connection (the same
/// <see cref="DendriteAccounts"/> the account commands use), and asks the running service's own <c>POST /api/invites</c>
/// for the link with the contract's <see cref="InviteRequest"/>, so the dashboard and the admin page make links the
/// same way.
/// </summary>
internal static class InviteLinkCommand
{
    public const string Name = "create-invite-link";

    private const string UserNameInput = "userName";
    private const string DisplayNameInput = "displayName";
    private const string HoursInput = "expiresInHours";
    private const int DefaultHours = InviteRequest.DefaultExpiresInHours;

    public static async Task<ExecuteCommandResult> ExecuteAsync(
        ExecuteCommandContext context, ProjectResource onboarding, DendriteAccounts connection)
    {
        var interaction = context.Services.GetRequiredService<IInteractionService>();
        if (!interaction.IsAvailable)
        {
            return CommandResults.Failure("The dashboard is not available to ask for the invite's details.");
        }

        var inputs = new List<InteractionInput>
        {
            new() { Name = UserNameInput, Label = "User name", InputType = InputType.Text, Required = true, Placeholder = "grandma", Description = "Lower-case letters, digits and . _ = - / (the account will be @name:server)." },
            new() { Name = DisplayNameInput, Label = "Display name", InputType = InputType.Text, Placeholder = "Grandma" },
            new() { Name = HoursInput, Label = "Valid for (hours)", InputType = InputType.Number, Required = true, Value = DefaultHours.ToString(CultureInfo.InvariantCulture) },
        };
        var answer = await interaction.PromptInputsAsync(
            "Create invite link",
            "Who is joining the family chat? The link works once, for this user name.",
            inputs,
            new InputsDialogInteractionOptions
            {
                ValidationCallback = validation =>
                {
                    var userName = validation.Inputs[UserNameInput];
                    if (!UserName.TryParse(userName.Value?.Trim(), out _, out var problem))
                    {
                        validation.AddValidationError(userName, problem!.Message);
                    }

                    var hours = validation.Inputs[HoursInput];
                    if (!int.TryParse(hours.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < 1)
                    {
                        validation.AddValidationError(hours, "Give a whole number of hours, at least 1 (168 is a week).");
                    }

                    return Task.CompletedTask;
                },
            },
            context.CancellationToken).ConfigureAwait(false);
        if (answer.Canceled)
        {
            return CommandResults.Canceled();
        }

        var values = answer.Data!;
        try
        {
            var link = await CreateAsync(
                onboarding, connection,
                values[UserNameInput].Value!.Trim(),
                string.IsNullOrWhiteSpace(values[DisplayNameInput].Value) ? null : values[DisplayNameInput].Value!.Trim(),
                int.Parse(values[HoursInput].Value!, CultureInfo.InvariantCulture),
                context.CancellationToken).ConfigureAwait(false);

            // The link is a bearer secret: shown in a dialog that is gone once closed, never in the result the dashboard
            // keeps in its notification center for every browser that opens later.
            var expires = link.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            await SecretDialog.ShowAsync(
                context.Services,
                "Invite link",
                $"Send this link to **{link.UserId}** (it works once, until {expires} UTC):\n\n[{link.Url}]({link.Url})\n\n`{link.Url}`\n\nIt is shown only now.",
                context.CancellationToken).ConfigureAwait(false);
            return CommandResults.Success($"Made an invite link for {link.UserId} (valid until {expires} UTC); it was shown once and is not kept.");
        }
        catch (Exception e) when (e is InviteRefusedException or MatrixApiException or HttpRequestException or InvalidOperationException)
        {
            return CommandResults.Failure(e.Message);
        }
    }

    /// <summary>Signs in as the bootstrap admin and asks the onboarding service for a link.</summary>
    internal static async Task<CreatedInvite> CreateAsync(
        ProjectResource onboarding, DendriteAccounts connection,
        string userName, string? displayName, int expiresInHours, CancellationToken cancellationToken)
    {
        var accounts = await connection.GetAsync(cancellationToken).ConfigureAwait(false);

        // On a fresh install the bootstrap admin is made now (idempotent: an existing account is left alone).
        var bootstrap = await accounts.EnsureAdminAccountAsync(cancellationToken).ConfigureAwait(false);
        if (bootstrap.SignInProblem is { } problem)
        {
            throw new InvalidOperationException($"The bootstrap admin '{connection.Admin.UserName}' cannot sign in: {problem}");
        }

        var session = await accounts.LoginAsync(cancellationToken).ConfigureAwait(false);

        using var service = new HttpClient { BaseAddress = new Uri(onboarding.GetEndpoint("http").Url) };
        using var request = new HttpRequestMessage(HttpMethod.Post, InviteRequest.Path)
        {
            Content = JsonContent.Create(new InviteRequest(userName, displayName, expiresInHours), options: JsonSerializerOptions.Web),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.AccessToken);
        using var response = await service.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InviteRefusedException(Describe(response, body));
        }

        return JsonSerializer.Deserialize<CreatedInvite>(body, JsonSerializerOptions.Web)
            ?? throw new InviteRefusedException("The onboarding service answered without a link.");
    }

    private static string Describe(HttpResponseMessage response, string body)
    {
        try
        {
            using var problem = JsonDocument.Parse(body);
            var root = problem.RootElement;
            var title = root.TryGetProperty("title", out var t) ? t.GetString() : null;
            var detail = root.TryGetProperty("detail", out var d) ? d.GetString() : null;
            return $"No link: {title}{(detail is null ? "" : $": {detail}")} (HTTP {(int)response.StatusCode}).";
        }
        catch (JsonException)
        {
            return $"No link: the onboarding service answered HTTP {(int)response.StatusCode}.";
        }
    }

    private sealed class InviteRefusedException(string message) : Exception(message);
}
