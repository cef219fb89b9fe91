using System.Globalization;
using System.Text;
using DendriteAspire.Admin.Accounts;
using DendriteAspire.Admin.Matrix;
using DendriteAspire.SlackImport.Export;
using DendriteAspire.SlackImport.Planning;
using DendriteAspire.SlackImport.Writing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace DendriteAspire.Hosting;

/// <summary>
/// The dashboard command "Import from Slack" on <c>dendrite</c>: asks for the export's path on this machine (and a
/// mapping file), turns the import registration on and restarts Dendrite, imports with
/// <see cref="SlackImporter"/>, turns the registration off and restarts Dendrite again, and shows the report. Progress
/// goes to Dendrite's console log. The token is the secret parameter <c>dendrite-import-token</c>; it never reaches
/// a log or the result.
/// </summary>
public static partial class SlackImportCommand
{
    /// <summary>The command's name.</summary>
    public const string Name = "import-from-slack";

    /// <summary>The input holding the export's path.</summary>
    public const string ExportPathInput = "exportPath";

    /// <summary>The input holding the mapping file's path (optional).</summary>
    public const string MapPathInput = "mapPath";

    /// <summary>
    /// Adds "Import from Slack" (run mode only; on a cluster follow the README's steps with the Admin CLI). Needs the
    /// bootstrap admin (<see cref="DendriteAccountsBuilderExtensions.WithBootstrapAdmin"/> first), who is put in every room.
    /// </summary>
    /// <param name="builder">The Dendrite resource builder, with its bootstrap admin.</param>
    /// <returns>The Dendrite resource builder.</returns>
    /// <exception cref="InvalidOperationException">The resource has no bootstrap admin yet.</exception>
    /// <example>
    /// <code>
    /// builder.AddDendrite("dendrite", settings.Dendrite).WithBootstrapAdmin(settings.Admin).WithSlackImportCommand();
    /// </code>
    /// </example>
    public static IResourceBuilder<DendriteResource> WithSlackImportCommand(this IResourceBuilder<DendriteResource> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Checked in every mode, so a model that publishes also runs.
        if (!builder.Resource.Annotations.OfType<BootstrapAdminAnnotation>().Any())
        {
            throw new InvalidOperationException($"'{builder.Resource.Name}' has no bootstrap admin to put in the imported rooms; call WithBootstrapAdmin first.");
        }

        if (!builder.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            return builder;
        }

        DendriteImport.AddRegistration(builder.ApplicationBuilder, builder);
        var gate = new SemaphoreSlim(1, 1);
        return builder.WithCommand(Name, "Import from Slack", context => RunAsync(builder.Resource, context, gate), new CommandOptions
        {
            Description = "Import a Slack export (ZIP or folder on this machine) into this server; Dendrite restarts before and after. Running it again adds only what is missing.",
            IconName = "ArrowImport",
            UpdateState = context => context.ResourceSnapshot.HealthStatus == HealthStatus.Healthy ? ResourceCommandState.Enabled : ResourceCommandState.Disabled,
            Arguments =
            [
                new InteractionInput { Name = ExportPathInput, Label = "Slack export", Description = "The path of the export's ZIP, or of the folder it unpacks to, on this machine.", InputType = InputType.Text, Required = true, Placeholder = "/home/me/Downloads/Family Slack export.zip" },
                new InteractionInput { Name = MapPathInput, Label = "Mapping file (optional)", Description = "One Slack member id and user name per line (U0123ABCD=alice); without it people keep their Slack handle.", InputType = InputType.Text, Required = false },
            ],
            ValidateArguments = context =>
            {
                if (context.Inputs.TryGetByName(ExportPathInput, out var export) && !File.Exists(export.Value) && !Directory.Exists(export.Value))
                {
                    context.AddValidationError(export, $"{export.Value} does not exist on this machine; give the path of the export's ZIP or folder");
                }

                if (context.Inputs.TryGetByName(MapPathInput, out var map) && !string.IsNullOrWhiteSpace(map.Value) && !File.Exists(map.Value))
                {
                    context.AddValidationError(map, $"{map.Value} does not exist");
                }

                return Task.CompletedTask;
            },
        });
    }

    private static async Task<ExecuteCommandResult> RunAsync(DendriteResource dendrite, ExecuteCommandContext context, SemaphoreSlim gate)
    {
        if (!await gate.WaitAsync(0, context.CancellationToken).ConfigureAwait(false))
        {
            return CommandResults.Failure("An import is already running.");
        }

        var logger = context.Services.GetRequiredService<ResourceLoggerService>().GetLogger(dendrite);
        var turnedOn = false;
        try
        {
            var exportPath = Value(context, ExportPathInput) ?? "";
            var mapPath = Value(context, MapPathInput);
            var admin = dendrite.Annotations.OfType<BootstrapAdminAnnotation>().Single();
            var options = new SlackImportOptions
            {
                Admin = UserName.Parse(admin.UserName),
                ServerName = dendrite.Settings.ServerName,
                SharedSecret = dendrite.RegistrationSharedSecret is { } secret ? await secret.GetValueAsync(context.CancellationToken).ConfigureAwait(false) : null,
                Map = mapPath is null ? new Dictionary<string, UserName>() : UserMapping.ReadFile(mapPath),
            };
            // The whole export is read and checked before Dendrite is touched: bad input restarts nothing.
            SlackExportReader.Read(exportPath);

            if (!dendrite.ImportActive)
            {
                LogRegistration(logger, "loading");
                dendrite.ImportActive = turnedOn = true;
                await RestartAsync(dendrite, context).ConfigureAwait(false);
            }

            var token = await dendrite.ImportToken!.GetValueAsync(context.CancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"parameter {dendrite.ImportToken.Name} has no value");
            using var http = new HttpClient { BaseAddress = new Uri(dendrite.HttpEndpoint.Url), Timeout = TimeSpan.FromSeconds(60) };
            using var progress = new LogWriter(logger);
            var report = await new SlackImporter(http, token, progress).RunAsync(exportPath, options, context.CancellationToken).ConfigureAwait(false);
            using var text = new StringWriter(CultureInfo.InvariantCulture);
            report.Print(text);
            return CommandResults.Success(
                string.Create(CultureInfo.InvariantCulture, $"Imported {report.Imported} messages from Slack"),
                "```text\n" + text + "```\n", CommandResultFormat.Markdown, displayImmediately: true);
        }
        catch (Exception e) when (e is SlackExportException or MatrixApiException or HttpRequestException or InvalidUserNameException or InvalidOperationException
                                      or DistributedApplicationException || (e is OperationCanceledException && !context.CancellationToken.IsCancellationRequested))
        {
            LogFailure(logger, e.Message);
            return CommandResults.Failure(e is MatrixApiException m ? $"{m.Message} (Dendrite: {m.ErrorCodeOrStatus})" : e.Message);
        }
        finally
        {
            if (turnedOn)
            {
                LogRegistration(logger, "removing");
                dendrite.ImportActive = false;
                try
                {
                    await RestartAsync(dendrite, context).ConfigureAwait(false);
                }
                catch (Exception e) when (e is InvalidOperationException or OperationCanceledException or DistributedApplicationException)
                {
                    LogFailure(logger, $"Dendrite did not come back without the import registration ({e.Message}); restart it from the dashboard");
                }
            }

            gate.Release();
        }
    }

    /// <summary>Stops and starts Dendrite so it reads its registrations again, and waits until it answers.</summary>
    private static async Task RestartAsync(DendriteResource dendrite, ExecuteCommandContext context)
    {
        var commands = context.Services.GetRequiredService<ResourceCommandService>();
        var notifications = context.Services.GetRequiredService<ResourceNotificationService>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var stop = await commands.ExecuteCommandAsync(dendrite, KnownResourceCommands.StopCommand, deadline.Token).ConfigureAwait(false);
        if (!stop.Success)
        {
            throw new InvalidOperationException($"could not stop {dendrite.Name}: {stop.Message}");
        }

        await notifications.WaitForResourceAsync(dendrite.Name, e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), deadline.Token).ConfigureAwait(false);
        var start = await commands.ExecuteCommandAsync(dendrite, KnownResourceCommands.StartCommand, deadline.Token).ConfigureAwait(false);
        if (!start.Success)
        {
            throw new InvalidOperationException($"could not start {dendrite.Name}: {start.Message}");
        }

        await notifications.WaitForResourceHealthyAsync(dendrite.Name, deadline.Token).ConfigureAwait(false);
        using var http = new HttpClient { BaseAddress = new Uri(dendrite.HttpEndpoint.Url), Timeout = TimeSpan.FromSeconds(10) };
        while (true)
        {
            try
            {
                using var versions = await http.GetAsync(new Uri("/_matrix/client/versions", UriKind.Relative), deadline.Token).ConfigureAwait(false);
                if (versions.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), deadline.Token).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Import from Slack: {Action} the import registration (Dendrite restarts).")]
    private static partial void LogRegistration(ILogger logger, string action);

    [LoggerMessage(Level = LogLevel.Error, Message = "Import from Slack failed: {Reason}")]
    private static partial void LogFailure(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Import from Slack: {Line}")]
    private static partial void LogProgress(ILogger logger, string line);

    private static string? Value(ExecuteCommandContext context, string name) =>
        context.Arguments.TryGetByName(name, out var input) && !string.IsNullOrWhiteSpace(input.Value) ? input.Value.Trim() : null;

    /// <summary>Forwards the importer's progress lines to Dendrite's console log in the dashboard.</summary>
    private sealed class LogWriter(ILogger logger) : TextWriter
    {
        private readonly StringBuilder _line = new();

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            if (value == '\n')
            {
                var line = _line.ToString();
                _line.Clear();
                LogProgress(logger, line);
            }
            else if (value != '\r')
            {
                _line.Append(value);
            }
        }
    }
}
