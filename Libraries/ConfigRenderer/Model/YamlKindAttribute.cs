namespace DendriteAspire.ConfigRenderer.Model;

/// <summary>
/// States the kind of value Dendrite's Go field takes (as in the key lists under tests/ConfigRenderer.Tests/Fixtures)
/// where the C# property type cannot say it, e.g. <c>[]func</c> for a list of Go functions YAML cannot fill.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class YamlKindAttribute(string kind) : Attribute
{
    public string Kind { get; } = kind;
}
