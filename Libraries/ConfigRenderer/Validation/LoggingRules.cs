using System.Globalization;
using DendriteAspire.ConfigRenderer.Model;

namespace DendriteAspire.ConfigRenderer.Validation;

/// <summary>Rules for the <c>logging</c> hooks.</summary>
internal static class LoggingRules
{
    public static void Check(List<LoggingHook>? hooks, Findings findings)
    {
        for (var i = 0; i < (hooks?.Count ?? 0); i++)
        {
            var hook = hooks![i];
            var path = $"logging[{i}]";
            if (string.IsNullOrEmpty(hook.Type))
            {
                findings.Error($"{path}.type", "is missing; use std, file or syslog");
            }
            else if (!KnownValues.LoggingTypes.Contains(hook.Type))
            {
                findings.Error($"{path}.type", $"\"{hook.Type}\" is not a logging type; use std, file or syslog");
            }

            if (string.IsNullOrEmpty(hook.Level))
            {
                findings.Error($"{path}.level", "is missing; use e.g. info");
            }
            else if (!KnownValues.LogLevels.Contains(hook.Level))
            {
                findings.Error($"{path}.level", $"\"{hook.Level}\" is not a log level; use one of {KnownValues.Join(KnownValues.LogLevels)}");
            }

            if (hook.Type == "file" && string.IsNullOrWhiteSpace(Param(hook, "path")))
            {
                findings.Error($"{path}.params.path", "is missing for a file hook; set it to the log directory, e.g. /var/dendrite/logs");
            }

            if (hook.Type == "syslog")
            {
                foreach (var key in new[] { "protocol", "address" })
                {
                    if (string.IsNullOrWhiteSpace(Param(hook, key)))
                    {
                        findings.Error($"{path}.params.{key}", $"is missing for a syslog hook; set params.protocol (e.g. udp) and params.address (e.g. localhost:514)");
                    }
                }
            }
        }
    }

    /// <summary>A params value as text; Dendrite's params is a free-form map, so a number or a nested map may appear.</summary>
    private static string? Param(LoggingHook hook, string key) =>
        hook.Params?.GetValueOrDefault(key) is { } value ? Convert.ToString(value, CultureInfo.InvariantCulture) : null;
}
