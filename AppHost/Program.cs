using DendriteAspire.Hosting;
using DendriteAspire.Hosting.Kubernetes;
using DendriteAspire.ConfigRenderer.Settings;

// Bad Dendrite settings print "error: <key>: <fix>" lines and exit 2, before anything starts.
var builder = DendriteAppHost.CreateBuilder(args);

// The homeserver: config from the "Dendrite" settings, a signing key made once, every byte of state on volumes,
// a first admin (Dendrite:Admin:UserName) and dashboard commands to add family members without a terminal.
// Backups (Dendrite:Backup:*): "Back up now", one every 24h kept 7 deep, and one before every upgrade.
var dendrite = builder.AddDendrite("dendrite")
    .WithKeyGeneration()
    .WithPersistentState()
    .WithBootstrapAdmin()
    .WithAccountCommands()
    .WithBackups();

// SQLite is the embedded default; Postgres is one setting away (Dendrite:Database:Provider=Postgres).
if (dendrite.Resource.Settings.Database.Provider == DatabaseProvider.Postgres)
{
    var postgres = builder.AddPostgres("postgres")
        .WithDataVolume(dendrite.PostgresVolumeName());

    dendrite.WithPostgres(postgres.AddDatabase("dendrite-db", databaseName: "dendrite"));
}

// Invite links for relatives: pick a password, land in the Family room (dashboard command "Create invite link").
var onboarding = builder.AddFamilyOnboarding<Projects.Onboarding>("onboarding", dendrite);

// Element Web, opened on this homeserver (Dendrite:Client:Enabled switches it off).
if (builder.IsElementWebEnabled())
{
    onboarding.WithElementWeb(builder.AddElementWeb("element", dendrite));
}

// `aspire publish -o k8s` writes the same model as Kubernetes manifests for the home cluster.
builder.AddKubernetesEnvironment("k8s");

builder.Build().Run();
