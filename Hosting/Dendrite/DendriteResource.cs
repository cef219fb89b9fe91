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

    /// <summary>
    /// The non-root uid and gid Dendrite (and its key step) runs as on a cluster, and locally with persistent state (read
    /// from its <c>ClusterUserAnnotation</c> in both places); it writes only to its volumes.
    /// </summary>
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

    /// <summary>
    /// The Slack import's application-service token (<c>dendrite-import-token</c>), only while
    /// <c>Dendrite:Import:Enabled</c>; null otherwise, and then Dendrite has no registration that accepts it.
    /// </summary>
    public ParameterResource? ImportToken { get; internal set; }

    /// <summary>
    /// Whether the next start loads the import registration: <c>Import:Enabled</c>, or the "Import from Slack"
    /// dashboard command for the length of one import.
    /// </summary>
    internal bool ImportActive { get; set; }

    /// <summary>
    /// The password of <c>/metrics</c> (basic auth, user <see cref="MetricsUserName"/>): the generated secret parameter
    /// <c>&lt;name&gt;-metrics-password</c> while <c>Dendrite:Metrics:Enabled</c> (the AppHost's default); null when
    /// metrics are off.
    /// </summary>
    public ParameterResource? MetricsPassword { get; internal set; }

    /// <summary>The basic-auth user name of <c>/metrics</c>.</summary>
    public const string MetricsUserName = "metrics";

    /// <summary>Where Dendrite serves its Prometheus metrics: the client API's own listener (port 8008).</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>The Postgres database, when <c>Database:Provider</c> is <c>Postgres</c>.</summary>
    public IResourceWithConnectionString? Database { get; internal set; }

    /// <summary>The database URI Dendrite connects with, in Postgres mode.</summary>
    public ReferenceExpression? DatabaseUri { get; internal set; }

    /// <summary>The step that creates the signing key, once.</summary>
    public DendriteKeyGenerationResource? KeyGeneration { get; internal set; }

    /// <summary>
    /// Locally (run mode, with persistent state): the step that gives Dendrite's volumes to the user it runs as, before
    /// the key step and Dendrite start. Null otherwise; a cluster's <c>fsGroup</c> does that there.
    /// </summary>
    public DendriteVolumeOwnershipResource? VolumeOwnership { get; internal set; }
}
