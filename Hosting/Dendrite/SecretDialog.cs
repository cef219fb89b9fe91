using Microsoft.Extensions.DependencyInjection;

namespace DendriteAspire.Hosting;

/// <summary>
/// Shows a password or an invite link once, so that nothing keeps it. The dashboard keeps every command's result (its
/// message in the notification center, its value behind "View response") and replays it to any browser that opens
/// later, so a secret never goes into a command result while the dashboard is there. It goes into an interaction message
/// box instead: the AppHost's interaction service holds it only until the person closes the dialog, then removes it and
/// tells every dashboard client the interaction is complete (Aspire's <c>InteractionService.CompleteInteractionCore</c>
/// and the dashboard's <c>InteractionsProvider</c>). Without a dashboard (an API client or a test calling the command),
/// the caller puts the secret into the result, which then is what the caller asked for. Never logged either way.
/// </summary>
internal static class SecretDialog
{
    /// <summary>
    /// Shows <paramref name="markdown"/> in a message box and waits until the person closes it; false when no dashboard
    /// can show it (the caller returns the secret in the result instead).
    /// </summary>
    public static async Task<bool> ShowAsync(IServiceProvider services, string title, string markdown, CancellationToken cancellationToken)
    {
        var interaction = services.GetService<IInteractionService>();
        if (interaction is not { IsAvailable: true })
        {
            return false;
        }

        await interaction.PromptMessageBoxAsync(
            title,
            markdown,
            new MessageBoxInteractionOptions { Intent = MessageIntent.Success, EnableMessageMarkdown = true, PrimaryButtonText = "Done", ShowSecondaryButton = false },
            cancellationToken).ConfigureAwait(false);
        return true;
    }
}
