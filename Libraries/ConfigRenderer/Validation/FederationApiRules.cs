using System.Net;
using DendriteAspire.ConfigRenderer.Model;

namespace DendriteAspire.ConfigRenderer.Validation;

/// <summary>Rules for <c>federation_api</c>.</summary>
internal static class FederationApiRules
{
    public static void Check(FederationApiConfig federation, Findings findings)
    {
        CheckNetworks(federation.DenyNetworks, "federation_api.deny_networks", findings);
        CheckNetworks(federation.AllowNetworks, "federation_api.allow_networks", findings);

        var perspectives = federation.KeyPerspectives ?? [];
        for (var i = 0; i < perspectives.Count; i++)
        {
            var path = $"federation_api.key_perspectives[{i}]";
            if (string.IsNullOrEmpty(perspectives[i].ServerName))
            {
                findings.Error($"{path}.server_name", "is missing; name the notary server, e.g. matrix.org");
            }

            var keys = perspectives[i].Keys ?? [];
            for (var k = 0; k < keys.Count; k++)
            {
                if (string.IsNullOrEmpty(keys[k].KeyId) || !keys[k].KeyId!.StartsWith("ed25519:", StringComparison.Ordinal))
                {
                    findings.Error($"{path}.keys[{k}].key_id", "must start with \"ed25519:\", e.g. ed25519:auto");
                }
            }
        }
    }

    private static void CheckNetworks(List<string>? networks, string path, Findings findings)
    {
        for (var i = 0; i < (networks?.Count ?? 0); i++)
        {
            if (!IPNetwork.TryParse(networks![i], out _))
            {
                findings.Error($"{path}[{i}]", $"\"{networks[i]}\" is not a CIDR; write e.g. 10.0.0.0/8");
            }
        }
    }
}
