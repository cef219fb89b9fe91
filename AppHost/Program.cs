using DendriteAspire.Hosting;
using DendriteAspire.Hosting.Configuration;
using DendriteAspire.Hosting.Kubernetes;
using DendriteAspire.ConfigRenderer.Settings;

// Bad Dendrite settings print "error: <key>: <fix>" lines and exit 2, before anything starts or is written.
DendriteAppHost.ExitOnInvalidSettings();
var builder = DistributedApplication.CreateBuilder(args);

// Every "Dendrite" setting, bound and checked once (an unknown key in any section stops here, naming it).
var settings = DendriteConfiguration.Bind(builder.Configuration);

// The homeserver: config from the settings, a signing key made once, every byte of state on volumes, a first admin
// (Dendrite:Admin:UserName), dashboard commands to add family members without a terminal, and /metrics behind a
// generated password (Dendrite:Metrics:Enabled).
// Backups (Dendrite:Backup:*): "Back up now", one every 24h kept 7 deep, and one before every upgrade.
var dendrite = builder.AddDendrite("dendrite", settings.Dendrite)
    .WithKeyGeneration()
    .WithPersistentState()
    .WithBootstrapAdmin(settings.Admin)
    .WithAccountCommands()
    // "Import from Slack": the family's Slack history into this server (the import registration is on only meanwhile).
    .WithSlackImportCommand()
    .WithBackups(settings.Backup);

// SQLite is the embedded default; Postgres is one setting away (Dendrite:Database:Provider=Postgres).
if (settings.Dendrite.Settings.Database.Provider == DatabaseProvider.Postgres)
{
    var postgres = builder.AddPostgres("postgres")
        .WithDataVolume(dendrite.PostgresVolumeName())
        .WithClusterDefaults();

    dendrite.WithPostgres(postgres.AddDatabase("dendrite-db", databaseName: "dendrite"));
}

// Invite links for relatives: pick a password, land in the Family room, which a room-owner account (not a server
// admin) keeps for the service (dashboard command "Create invite link").
var onboarding = builder.AddFamilyOnboarding<Projects.Onboarding>("onboarding", dendrite, settings.Onboarding);

// Element Web, opened on this homeserver (Dendrite:Client:Enabled switches it off).
if (settings.Client.Enabled)
{
    onboarding.WithElementWeb(builder.AddElementWeb("element", dendrite, settings.Client));
}

// `aspire publish -o k8s` writes the same model as Kubernetes manifests for the home cluster (with
// Dendrite:Kubernetes:Monitoring:Enabled, also ServiceMonitors, alerts and a Grafana dashboard).
builder.AddKubernetesEnvironment("k8s", settings.Kubernetes, settings.Dendrite.VolumePrefix);

builder.Build().Run();
