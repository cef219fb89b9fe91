namespace DendriteAspire.Hosting;

/// <summary>The Dendrite monolith image. Pinned: never <c>latest</c>.</summary>
internal static class DendriteContainerImageTags
{
    /// <remarks>docker.io</remarks>
    public const string Registry = "docker.io";

    /// <remarks>matrixdotorg/dendrite-monolith</remarks>
    public const string Image = "matrixdotorg/dendrite-monolith";

    /// <remarks>v0.15.2: fixes the start-up crash loops of 0.15.0 and 0.15.1 (element-hq/dendrite#3634).</remarks>
    public const string Tag = "v0.15.2";

    /// <summary>The oldest release the rendered config is written for.</summary>
    public const string OldestSupportedTag = "v0.13.8";
}
