using System.Globalization;
using System.Numerics;
using DendriteAspire.ConfigRenderer.Model;
using DendriteAspire.ConfigRenderer.Rendering;
using K = DendriteAspire.ConfigRenderer.Model.ConfigSchema.Kinds;

namespace DendriteAspire.ConfigRenderer.Lint;

/// <summary>
/// Checks every value against the kind its key takes, with yaml.v2's rules (decode.go): a value yaml.v2 cannot store
/// in the Go field makes Dendrite refuse the whole config, so it is an error; YAML 1.1 booleans such as <c>yes</c> or
/// <c>on</c> load fine and only get a style warning. It also records, per scalar, the text Dendrite effectively reads
/// (<c>yes</c> as <c>true</c>, an empty value as the Go zero value), and which values to leave out of the typed read.
/// </summary>
internal sealed class ValueKinds(List<ConfigFinding> findings)
{
    /// <summary>Values Dendrite cannot load; the typed read skips them (the error is already reported).</summary>
    public HashSet<SourceNode> Rejected { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>Scalars whose effective text differs from what is written (booleans, numbers, empty values).</summary>
    public Dictionary<SourceNode, string> Effective { get; } = new(ReferenceEqualityComparer.Instance);

    public void Check(SourceNode node, string kind, string path)
    {
        if (node is SourceScalar scalar && YamlV2Scalars.Resolve(scalar).Kind == ResolvedKind.Null)
        {
            if (ZeroValue(kind) is { } zero)
            {
                Effective[node] = zero;
            }

            return;
        }

        if (kind == K.Any)
        {
            return;
        }

        if (kind.StartsWith(K.ListPrefix, StringComparison.Ordinal))
        {
            if (node is not SourceSequence sequence)
            {
                Reject(node, path, $"must be a list, not {Describe(node)}; write one \"- item\" per line, or [] for none");
                return;
            }

            var element = kind[K.ListPrefix.Length..];
            for (var i = 0; i < sequence.Items.Count; i++)
            {
                Check(sequence.Items[i], element, $"{path}[{i}]");
            }

            return;
        }

        if (kind.StartsWith(K.MapPrefix, StringComparison.Ordinal))
        {
            if (node is not SourceMapping mapping)
            {
                Reject(node, path, $"must be a mapping of names to values, not {Describe(node)}");
                return;
            }

            foreach (var entry in mapping.Entries)
            {
                Check(entry.Value, kind[K.MapPrefix.Length..], $"{path}.{entry.Key}");
            }

            return;
        }

        if (kind == K.Section)
        {
            if (node is not SourceMapping)
            {
                Reject(node, path, $"must be a block of keys, not {Describe(node)}; indent its keys under it");
            }

            return;
        }

        if (node is not SourceScalar value)
        {
            Reject(node, path, $"must be a single value, not {Describe(node)}");
            return;
        }

        CheckScalar(value, YamlV2Scalars.Resolve(value), kind, path);
    }

    private void CheckScalar(SourceScalar scalar, ResolvedScalar resolved, string kind, string path)
    {
        var quotedNote = resolved.Kind == ResolvedKind.Text && scalar.Style != YamlDotNet.Core.ScalarStyle.Plain
            ? " (quotes make any value text)"
            : "";
        switch (kind)
        {
            case K.StringValue:
                return;
            case K.BoolValue when resolved.Kind == ResolvedKind.Bool:
                Effective[scalar] = resolved.Bool ? "true" : "false";
                if (scalar.Value is not ("true" or "false"))
                {
                    findings.Add(new(FindingSeverity.Warning, path,
                        $"\"{scalar.Value}\" is a YAML 1.1 boolean that Dendrite reads as {(resolved.Bool ? "true" : "false")}; write {(resolved.Bool ? "true" : "false")} for clarity (line {scalar.Line})"));
                }

                return;
            case K.BoolValue:
                Reject(scalar, path, $"\"{scalar.Value}\" is not a boolean{quotedNote}, so Dendrite refuses to load the config; write true or false without quotes");
                return;
            case K.IntValue or K.UintValue or K.FloatValue when resolved.Kind is ResolvedKind.Int or ResolvedKind.Float:
                CheckNumber(scalar, resolved, kind, path);
                return;
            case K.IntValue or K.UintValue or K.FloatValue:
                Reject(scalar, path, $"\"{scalar.Value}\" is not a number{quotedNote}, so Dendrite refuses to load the config; write a plain number without quotes");
                return;
            case K.Duration when resolved.Kind is ResolvedKind.Int or ResolvedKind.Float:
                return; // nanoseconds; the validator explains why a bare number is a mistake
            case K.Duration when resolved.Kind == ResolvedKind.Text && new GoDuration(scalar.Value).TryGetTimeSpan(out _):
                return;
            case K.Duration:
                Reject(scalar, path, $"\"{scalar.Value}\" is not a Go duration, so Dendrite refuses to load the config; write e.g. 5m or 1h (units ns, us, ms, s, m, h)");
                return;
            case K.DataUnit when new DataUnit(scalar.Value).TryGetBytes(out _):
                return;
            case K.DataUnit:
                Reject(scalar, path, $"\"{scalar.Value}\" is not a size, so Dendrite refuses to load the config; write a number with an optional tb, gb, mb or kb suffix and no space, e.g. 1gb");
                return;
            default:
                Reject(scalar, path, $"Dendrite cannot load any value here (it is a Go {kind}); remove it");
                return;
        }
    }

    private void CheckNumber(SourceScalar scalar, ResolvedScalar resolved, string kind, string path)
    {
        if (kind == K.FloatValue)
        {
            Effective[scalar] = (resolved.Kind == ResolvedKind.Int ? (double)resolved.Int : resolved.Float).ToString("R", CultureInfo.InvariantCulture);
            return;
        }

        BigInteger whole;
        if (resolved.Kind == ResolvedKind.Float)
        {
            if (double.IsNaN(resolved.Float) || double.IsInfinity(resolved.Float))
            {
                Reject(scalar, path, $"\"{scalar.Value}\" is not a whole number, so Dendrite refuses to load the config; write a plain number");
                return;
            }

            whole = new BigInteger(Math.Truncate(resolved.Float));
            if (Math.Truncate(resolved.Float) != resolved.Float)
            {
                findings.Add(new(FindingSeverity.Warning, path,
                    $"\"{scalar.Value}\" has a fraction, which Dendrite drops (it reads {whole}); write a whole number (line {scalar.Line})"));
            }
        }
        else
        {
            whole = resolved.Int;
        }

        if (kind == K.UintValue && whole < 0)
        {
            Reject(scalar, path, $"is {scalar.Value}, but Dendrite stores it unsigned and refuses to load a negative number; write 0 or more");
            return;
        }

        if (kind == K.IntValue && whole > long.MaxValue)
        {
            Reject(scalar, path, $"is {scalar.Value}, too large for Dendrite's 64-bit number, so it refuses to load the config");
            return;
        }

        Effective[scalar] = whole.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>What yaml.v2 stores for an empty value: the Go zero value of the field.</summary>
    private static string? ZeroValue(string kind) => kind switch
    {
        K.BoolValue => "false",
        K.IntValue or K.UintValue or K.FloatValue or K.DataUnit => "0",
        K.Duration => "0s",
        K.StringValue => "",
        _ => null,
    };

    private void Reject(SourceNode node, string path, string message)
    {
        Rejected.Add(node);
        findings.Add(new(FindingSeverity.Error, path, $"{message} (line {node.Line})"));
    }

    private static string Describe(SourceNode node) => node switch
    {
        SourceMapping => "a block of keys",
        SourceSequence => "a list",
        SourceScalar scalar => $"the value \"{scalar.Value}\"",
        _ => "this",
    };
}
