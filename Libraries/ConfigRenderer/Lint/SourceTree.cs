using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace DendriteAspire.ConfigRenderer.Lint;

/// <summary>A node of the YAML file as written: duplicate keys kept, aliases resolved, with positions.</summary>
internal abstract class SourceNode(Mark start)
{
    public Mark Start { get; } = start;

    /// <summary>1-based line of the node.</summary>
    public long Line => Start.Line;
}

/// <summary>A scalar with its style, so a quoted <c>"true"</c> stays distinguishable from <c>true</c>.</summary>
internal sealed class SourceScalar(Mark start, string value, ScalarStyle style, string? tag) : SourceNode(start)
{
    public string Value { get; } = value;

    public ScalarStyle Style { get; } = style;

    /// <summary>An explicit tag such as <c>!!str</c>, or null.</summary>
    public string? Tag { get; } = tag;
}

internal sealed class SourceSequence(Mark start, IReadOnlyList<SourceNode> items) : SourceNode(start)
{
    public IReadOnlyList<SourceNode> Items { get; } = items;
}

/// <summary>A mapping in file order. Keys may repeat; entries pulled in with a <c>&lt;&lt;</c> merge come first, flagged.</summary>
internal sealed class SourceMapping(Mark start, IReadOnlyList<SourceEntry> entries) : SourceNode(start)
{
    public IReadOnlyList<SourceEntry> Entries { get; } = entries;
}

/// <summary>One key of a mapping. <paramref name="Merged"/> entries come from a <c>&lt;&lt;</c> merge and yield to own keys.</summary>
internal sealed record SourceEntry(string Key, Mark KeyStart, SourceNode Value, bool Merged = false)
{
    public long Line => KeyStart.Line;
}

/// <summary>
/// Reads the first YAML document into a <see cref="SourceNode"/> tree, the way gopkg.in/yaml.v2 sees it before
/// decoding: repeated keys are kept (yaml.v2 accepts them), aliases point at their anchor's node, and
/// <c>&lt;&lt;</c> merges are expanded. Throws <see cref="YamlException"/> for text that is not YAML.
/// </summary>
internal static class SourceTree
{
    public static SourceNode? Read(string yaml)
    {
        var parser = new Parser(new StringReader(yaml));
        parser.Consume<StreamStart>();
        if (parser.Accept<StreamEnd>(out _))
        {
            return null;
        }

        parser.Consume<DocumentStart>();
        return ReadNode(parser, new Dictionary<string, SourceNode>(StringComparer.Ordinal));
    }

    private static SourceNode ReadNode(IParser parser, Dictionary<string, SourceNode> anchors)
    {
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            return anchors.TryGetValue(alias.Value.Value, out var target)
                ? target
                : throw new YamlException(alias.Start, alias.End, $"the alias *{alias.Value.Value} has no anchor before it");
        }

        if (parser.TryConsume<Scalar>(out var scalar))
        {
            var tag = scalar.Tag.IsEmpty || scalar.Tag.IsNonSpecific ? null : scalar.Tag.Value;
            return Anchor(scalar.Anchor, new SourceScalar(scalar.Start, scalar.Value, scalar.Style, tag), anchors);
        }

        if (parser.TryConsume<SequenceStart>(out var sequenceStart))
        {
            var items = new List<SourceNode>();
            var sequence = Anchor(sequenceStart.Anchor, new SourceSequence(sequenceStart.Start, items), anchors);
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                items.Add(ReadNode(parser, anchors));
            }

            return sequence;
        }

        var mappingStart = parser.Consume<MappingStart>();
        var own = new List<SourceEntry>();
        var merged = new List<SourceEntry>();
        var mapping = Anchor(mappingStart.Anchor, new SourceMapping(mappingStart.Start, own), anchors);
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var key = ReadNode(parser, anchors);
            var value = ReadNode(parser, anchors);
            if (key is SourceScalar { Value: "<<", Style: ScalarStyle.Plain })
            {
                merged.AddRange(MergedEntries(value));
                continue;
            }

            own.Add(new SourceEntry(key is SourceScalar keyScalar ? keyScalar.Value : "?", key.Start, value));
        }

        own.InsertRange(0, merged);
        return mapping;
    }

    private static IEnumerable<SourceEntry> MergedEntries(SourceNode value) => value switch
    {
        SourceMapping mapping => mapping.Entries.Select(e => e with { Merged = true }),
        SourceSequence sequence => sequence.Items.Reverse().SelectMany(MergedEntries),
        _ => [],
    };

    private static T Anchor<T>(AnchorName anchor, T node, Dictionary<string, SourceNode> anchors)
        where T : SourceNode
    {
        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = node;
        }

        return node;
    }
}
