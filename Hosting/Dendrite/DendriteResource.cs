using DendriteAspire.ConfigRenderer.Settings;

namespace DendriteAspire.Hosting;

/// <summary>
/// A Dendrite Matrix homeserver (the monolith image). Its <c>dendrite.yaml</c> is rendered by ConfigRenderer from
/// <see cref="Settings"/> plus the values only the app model knows: the registration shared secret and, in Postgres
/// mode, the database URI as this container sees it.
/// </summary>
/// <param name="name">The resource name.</param>
/// <param name="settings">The validated settings its config is rendered from.</param>
public sealed class DendriteResource(string name, DendriteSettings settings) : ContainerResource(name)
{
    internal const string HttpEndpointName = "http";
    internal const string FederationEndpointName = "federation";
    internal const int HttpPort = 8008;
    internal const int FederationPort = 8448;

    /// <summary>The non-root uid and gid Dendrite (and its key step) runs as on a cluster; it writes only to its volumes.</summary>
    internal const long ClusterUserId = 1000;

    internal const string HealthPath = "/_dendrite/monitor/health";
    internal const string UpPath = "/_dendrite/monitor/up";
    internal const string ClientWellKnownPath = "/.well-known/matrix/client";

    private EndpointReference? _httpEndpoint;

    /// <summary>The client-server API on container port 8008.</summary>
    public EndpointReference HttpEndpoint => _httpEndpoint ??= new(this, HttpEndpointName);

    /// <summary>The family admin's choices, already validated.</summary>
    public DendriteSettings Settings { get; } = settings;

    /// <summary>The secret that lets an admin create accounts while open registration stays off.</summary>
    public ParameterResource? RegistrationSharedSecret { get; internal set; }

    /// <summary>The Postgres database, when <c>Database:Provider</c> is <c>Postgres</c>.</summary>
    public IResourceWithConnectionString? Database { get; internal set; }

    /// <summary>The database URI Dendrite connects with, in Postgres mode.</summary>
    public ReferenceExpression? DatabaseUri { get; internal set; }

    /// <summary>The step that creates the signing key, once.</summary>
    public DendriteKeyGenerationResource? KeyGeneration { get; internal set; }
}
