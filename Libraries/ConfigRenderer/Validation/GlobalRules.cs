using System.Buffers.Text;
using DendriteAspire.ConfigRenderer.Model;

namespace DendriteAspire.ConfigRenderer.Validation;

/// <summary>Rules for the <c>global</c> section.</summary>
internal static class GlobalRules
{
    public static void Check(GlobalConfig global, Findings findings)
    {
        if (string.IsNullOrEmpty(global.ServerName))
        {
            findings.Error("global.server_name", "is missing; set it to the domain in your users' IDs, e.g. family.example");
        }
        else if (HostAndPort.Problem(global.ServerName, "family.example") is { } serverNameProblem)
        {
            findings.Error("global.server_name", serverNameProblem);
        }

        if (string.IsNullOrEmpty(global.PrivateKey))
        {
            findings.Error("global.private_key", "is missing; point it at the signing key, e.g. /var/dendrite/storage-keys/matrix_key.pem");
        }

        CheckOldPrivateKeys(global.OldPrivateKeys, findings);
        CheckDuration(global.KeyValidityPeriod, "global.key_validity_period", "168h", findings);

        if (!string.IsNullOrEmpty(global.WellKnownServerName) &&
            HostAndPort.Problem(global.WellKnownServerName, "matrix.family.example:443") is { } wellKnownProblem)
        {
            findings.Error("global.well_known_server_name", wellKnownProblem);
        }

        if (!string.IsNullOrEmpty(global.WellKnownClientName) && !IsHttpUrl(global.WellKnownClientName))
        {
            findings.Error("global.well_known_client_name",
                "must be an http:// or https:// URL, e.g. https://matrix.family.example; add the scheme");
        }

        if (global.Cache is { } cache)
        {
            if (cache.MaxSizeEstimated is { } size)
            {
                if (!size.TryGetBytes(out var bytes))
                {
                    findings.Error("global.cache.max_size_estimated",
                        $"\"{size.Text}\" is not a size; write a number with an optional tb, gb, mb or kb suffix and no space, e.g. 1gb or 512mb");
                }
                else if (bytes < 0)
                {
                    findings.Error("global.cache.max_size_estimated", "must not be negative; use e.g. 1gb");
                }
            }

            CheckDuration(cache.MaxAge, "global.cache.max_age", "1h", findings);
        }

        if (global.JetStream?.InMemory != true && global.JetStream?.Addresses is not { Count: > 0 } &&
            string.IsNullOrWhiteSpace(global.JetStream?.StoragePath))
        {
            findings.Error("global.jetstream.storage_path",
                "is empty, so the built-in NATS keeps its streams in a temporary directory that is lost with the container; set it to e.g. /var/dendrite/jetstream");
        }

        if (global.DnsCache is { } dns)
        {
            if (dns.CacheSize < 0)
            {
                findings.Error("global.dns_cache.cache_size", "must not be negative; use e.g. 256");
            }

            CheckDuration(dns.CacheLifetime, "global.dns_cache.cache_lifetime", "5m", findings);
        }

        if (global.ReportStats is { Enabled: true, Endpoint: "" })
        {
            findings.Error("global.report_stats.endpoint",
                "is empty while report_stats is enabled; remove the key to use https://panopticon.matrix.org/push, or disable report_stats");
        }
    }

    public static void CheckDuration(GoDuration? duration, string path, string example, Findings findings)
    {
        if (duration is null)
        {
            return;
        }

        if (duration.IsBareNumber)
        {
            findings.Error(path, $"\"{duration.Text}\" has no unit and Dendrite would read it as nanoseconds; write a Go duration such as {example}");
        }
        else if (!duration.TryGetTimeSpan(out var value))
        {
            findings.Error(path, $"\"{duration.Text}\" is not a Go duration; write e.g. {example} (units ns, us, ms, s, m, h)");
        }
        else if (value < TimeSpan.Zero)
        {
            findings.Error(path, $"must not be negative; use e.g. {example}");
        }
    }

    public static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) &&
        (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) &&
        !string.IsNullOrEmpty(uri.Host);

    private static void CheckOldPrivateKeys(List<OldPrivateKey>? keys, Findings findings)
    {
        for (var i = 0; i < (keys?.Count ?? 0); i++)
        {
            var key = keys![i];
            var path = $"global.old_private_keys[{i}]";
            if (!string.IsNullOrEmpty(key.PrivateKey))
            {
                continue;
            }

            if (string.IsNullOrEmpty(key.KeyId))
            {
                findings.Error($"{path}.key_id", string.IsNullOrEmpty(key.PublicKey)
                    ? "is missing, and so is private_key; give either a private_key path or both public_key and key_id"
                    : "must be given with public_key; add the key id, e.g. ed25519:AbC123");
            }
            else if (string.IsNullOrEmpty(key.PublicKey))
            {
                findings.Error($"{path}.public_key",
                    "is missing, and so is private_key; give either a private_key path or both public_key and key_id");
            }
            else if (!IsUnpadded32ByteKey(key.PublicKey))
            {
                findings.Error($"{path}.public_key",
                    "must be a 32-byte Ed25519 key in unpadded base64 (43 characters, no trailing \"=\"); remove any padding");
            }
        }
    }

    private static bool IsUnpadded32ByteKey(string value)
    {
        if (value.Contains('=', StringComparison.Ordinal))
        {
            return false;
        }

        var standard = value.Replace('-', '+').Replace('_', '/') + "=";
        var buffer = new byte[64];
        return Convert.TryFromBase64String(standard, buffer, out var written) && written == 32 &&
               Base64.IsValid(standard);
    }
}
