using DendriteAspire.ConfigRenderer.Rendering;

namespace DendriteAspire.ConfigRenderer.Validation;

/// <summary>Collects findings; every path is prefixed, so settings paths read <c>Dendrite:ServerName</c>.</summary>
internal sealed class Findings(string prefix = "")
{
    private readonly List<ConfigFinding> _items = [];

    public IReadOnlyList<ConfigFinding> Items => _items;

    public void Error(string path, string message) => _items.Add(new(FindingSeverity.Error, prefix + path, message));

    public void Warning(string path, string message) => _items.Add(new(FindingSeverity.Warning, prefix + path, message));
}
