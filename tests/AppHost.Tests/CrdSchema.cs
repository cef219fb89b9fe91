using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace DendriteAspire.AppHost.Tests;

/// <summary>
/// A small structural-schema checker for CustomResourceDefinitions (the subset Kubernetes enforces on apply): types,
/// fields the schema does not know (Kubernetes would silently drop them), required fields, enums and patterns,
/// <c>x-kubernetes-int-or-string</c> and <c>x-kubernetes-preserve-unknown-fields</c>.
/// </summary>
internal static class CrdSchema
{
    /// <summary>The <c>openAPIV3Schema</c> of the CRD file's served version <paramref name="version"/>.</summary>
    public static JsonNode Load(string path, string version)
    {
        var crd = Parse(File.ReadAllText(path)).Single()!;
        var served = crd["spec"]!["versions"]!.AsArray().Single(v => (string?)v!["name"] == version)!;
        return served["schema"]!["openAPIV3Schema"]!;
    }

    /// <summary>Every YAML document of <paramref name="yaml"/> as JSON, with plain scalars typed as YAML 1.2's core schema does.</summary>
    public static List<JsonNode?> Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return [.. stream.Documents.Select(d => ToJson(d.RootNode))];
    }

    /// <summary>The schema violations of <paramref name="value"/>, each with its path; empty when it conforms.</summary>
    public static List<string> Violations(JsonNode schema, JsonNode? value)
    {
        var problems = new List<string>();
        Check(schema, value, "", problems);
        return problems;
    }

    private static void Check(JsonNode schema, JsonNode? value, string path, List<string> problems)
    {
        if (value is null)
        {
            if ((bool?)schema["nullable"] != true)
            {
                problems.Add($"{path}: null is not allowed");
            }

            return;
        }

        if ((bool?)schema["x-kubernetes-int-or-string"] == true)
        {
            if (value is not JsonValue v || !(v.TryGetValue<long>(out _) || v.TryGetValue<string>(out _)))
            {
                problems.Add($"{path}: must be an integer or a string");
            }

            return;
        }

        var type = (string?)schema["type"];
        switch (type)
        {
            case "object":
                if (value is not JsonObject obj)
                {
                    problems.Add($"{path}: must be an object");
                    return;
                }

                var properties = schema["properties"] as JsonObject;
                var additional = schema["additionalProperties"];
                foreach (var (key, child) in obj)
                {
                    if (properties?[key] is { } propertySchema)
                    {
                        Check(propertySchema, child, $"{path}.{key}", problems);
                    }
                    else if (additional is JsonObject additionalSchema)
                    {
                        Check(additionalSchema, child, $"{path}.{key}", problems);
                    }
                    else if (properties is not null && (bool?)schema["x-kubernetes-preserve-unknown-fields"] != true)
                    {
                        problems.Add($"{path}.{key}: unknown field (the API server would drop it)");
                    }
                }

                foreach (var required in schema["required"]?.AsArray() ?? [])
                {
                    if (!obj.ContainsKey((string)required!))
                    {
                        problems.Add($"{path}: required field '{required}' is missing");
                    }
                }

                break;
            case "array":
                if (value is not JsonArray array)
                {
                    problems.Add($"{path}: must be an array");
                    return;
                }

                for (var i = 0; i < array.Count; i++)
                {
                    Check(schema["items"]!, array[i], $"{path}[{i}]", problems);
                }

                break;
            case "string":
                if (value is not JsonValue s || !s.TryGetValue<string>(out var text))
                {
                    problems.Add($"{path}: must be a string, is {value.ToJsonString()}");
                    return;
                }

                if (schema["enum"] is JsonArray allowed && !allowed.Any(a => (string?)a == text))
                {
                    problems.Add($"{path}: \"{text}\" is not one of {allowed.ToJsonString()}");
                }

                if ((string?)schema["pattern"] is { } pattern && !Regex.IsMatch(text, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
                {
                    problems.Add($"{path}: \"{text}\" does not match {pattern}");
                }

                if (schema["minLength"] is { } min && text.Length < (long)min)
                {
                    problems.Add($"{path}: shorter than {min}");
                }

                break;
            case "integer":
                if (value is not JsonValue n || !n.TryGetValue<long>(out _))
                {
                    problems.Add($"{path}: must be an integer");
                }

                break;
            case "boolean":
                if (value is not JsonValue b || !b.TryGetValue<bool>(out _))
                {
                    problems.Add($"{path}: must be a boolean");
                }

                break;
        }
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(ToJson)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new InvalidOperationException($"unexpected YAML node {node.NodeType}"),
    };

    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != YamlDotNet.Core.ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            "null" or "~" or "" => null,
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
            _ when Regex.IsMatch(text, @"^-?[0-9]+\.[0-9]+$") => JsonValue.Create(double.Parse(text, CultureInfo.InvariantCulture)),
            _ => JsonValue.Create(text),
        };
    }
}
