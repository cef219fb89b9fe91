namespace DendriteAspire.Hosting;

/// <summary>
/// Element Web, the browser client, served by the image's nginx with a <c>config.json</c> generated from the same
/// settings as Dendrite: it opens on this homeserver, with guests, third-party ids, registration and identity
/// servers off.
/// </summary>
/// <param name="name">The resource name.</param>
/// <param name="homeserver">The homeserver Element opens on.</param>
public sealed class ElementResource(string name, DendriteResource homeserver) : ContainerResource(name)
{
    internal const string HttpEndpointName = "http";

    /// <summary>nginx's port inside the pinned image (v1.11.31 has no <c>ELEMENT_WEB_PORT</c> to move it).</summary>
    internal const int HttpPort = 80;

    /// <summary>
    /// nginx's port in a cluster pod, which runs as <see cref="NginxUserId"/> with every capability dropped: many
    /// runtimes (containerd 1.x, podman) keep ports below 1024 privileged there, so 80 cannot be bound. The site
    /// config (<see cref="SiteConfigFileName"/> in <see cref="SiteConfigDirectory"/>) moves nginx here.
    /// </summary>
    internal const int ClusterHttpPort = 8080;

    /// <summary>nginx's site directory: in a cluster, the ConfigMap's <see cref="SiteConfigFileName"/> alone, read-only.</summary>
    internal const string SiteConfigDirectory = "/etc/nginx/conf.d";

    internal const string SiteConfigFileName = "default.conf";

    /// <summary>
    /// The <c>nginx</c> user (uid and gid 101) of the official nginx images Element is built on. A restricted pod runs
    /// the whole server as this user: the master process cannot start as root and drop privileges there.
    /// </summary>
    internal const long NginxUserId = 101;

    /// <summary>
    /// What nginx writes when its root file system is read-only: its caches and temp files, and its pid file
    /// (<c>/var/run</c> before v1.11.90, <c>/tmp</c> after). None of it is state.
    /// </summary>
    internal static readonly IReadOnlyList<string> ScratchDirectories = ["/var/cache/nginx", "/var/run", "/tmp"];

    internal const string AppDirectory = "/app";
    internal const string ConfigFileName = "config.json";

    private EndpointReference? _httpEndpoint;

    /// <summary>The web app on container port 80 (8080 in a cluster).</summary>
    public EndpointReference HttpEndpoint => _httpEndpoint ??= new(this, HttpEndpointName);

    /// <summary>The homeserver Element opens on.</summary>
    public DendriteResource Homeserver { get; } = homeserver;
}
