using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace DendriteAspire.Integration.Tests;

/// <summary>
/// What the AppHost logs, kept for a failed start's message:
/// <list type="bullet">
/// <item>each resource's console log, which the testing builder forwards to the category
/// <c>&lt;AppHost&gt;.Resources.&lt;resource&gt;</c> (the lines the dashboard's Console logs page shows), the last
/// <see cref="StartDiagnostics.LogLines"/> per resource;</item>
/// <item>DCP's warnings and errors (categories <c>Aspire.Hosting.Dcp*</c>) and any other error, for example podman's
/// <c>Error: readonly: invalid mount option</c> behind a container that goes to "failed to start"; the latest
/// <see cref="Capacity"/>.</item>
/// </list>
/// </summary>
public sealed class DcpErrorLog : ILoggerProvider
{
    public const int Capacity = 40;
    private const string ResourcesCategory = ".Resources.";
    private readonly ConcurrentQueue<string> entries = new();
    private readonly ConcurrentDictionary<string, Queue<string>> consoleLogs = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Entries => [.. entries];

    /// <summary>The last console lines of <paramref name="resource"/>, oldest first.</summary>
    public IReadOnlyList<string> ConsoleLines(string resource)
    {
        if (!consoleLogs.TryGetValue(resource, out var lines))
        {
            return [];
        }

        lock (lines)
        {
            return [.. lines];
        }
    }

    public ILogger CreateLogger(string categoryName)
    {
        var resource = categoryName.LastIndexOf(ResourcesCategory, StringComparison.Ordinal) is var at and >= 0
            ? categoryName[(at + ResourcesCategory.Length)..]
            : null;
        return new Logger(this, categoryName, resource);
    }

    private void AddConsoleLine(string resource, string line)
    {
        var lines = consoleLogs.GetOrAdd(resource, _ => new Queue<string>());
        lock (lines)
        {
            lines.Enqueue(line);
            while (lines.Count > StartDiagnostics.LogLines)
            {
                lines.Dequeue();
            }
        }
    }

    public void Dispose()
    {
    }

    private void Add(string entry)
    {
        entries.Enqueue(entry);
        while (entries.Count > Capacity && entries.TryDequeue(out _))
        {
        }
    }

    private sealed class Logger(DcpErrorLog log, string category, string? resource) : ILogger
    {
        private readonly bool dcp = category.StartsWith("Aspire.Hosting.Dcp", StringComparison.Ordinal);

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) =>
            resource is not null || logLevel >= LogLevel.Error || (dcp && logLevel >= LogLevel.Warning);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (resource is not null)
            {
                log.AddConsoleLine(resource, formatter(state, exception));
            }
            else if (IsEnabled(logLevel))
            {
                var error = exception is null ? "" : $" ({exception.GetType().Name}: {exception.Message})";
                log.Add($"{logLevel} {category}: {formatter(state, exception)}{error}");
            }
        }
    }
}
