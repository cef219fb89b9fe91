namespace DendriteAspire.Hosting.Kubernetes;

/// <summary>A model value as the cluster sees it, and whether it must stay out of ConfigMaps and plain env.</summary>
internal readonly record struct ClusterValue(string Text, bool IsSecret);
