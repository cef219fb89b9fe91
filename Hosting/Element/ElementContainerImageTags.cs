namespace DendriteAspire.Hosting;

/// <summary>The Element Web image. Pinned: never <c>latest</c>.</summary>
internal static class ElementContainerImageTags
{
    /// <remarks>docker.io</remarks>
    public const string Registry = "docker.io";

    /// <remarks>vectorim/element-web</remarks>
    public const string Image = "vectorim/element-web";

    /// <remarks>v1.11.31: the release the live tests run (a classic-sync client, as Dendrite needs).</remarks>
    public const string Tag = "v1.11.31";
}
