using DendriteAspire.Onboarding.Homeserver;
using DendriteAspire.Onboarding.Invites;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace DendriteAspire.Onboarding.Tests;

/// <summary>
/// The real onboarding service in-process. Only the HttpClient's primary handler changes: Dendrite is
/// <see cref="FakeDendriteHandler"/>. Every factory has its own data directory, invite secret and fake homeserver.
/// </summary>
public sealed class OnboardingFactory : WebApplicationFactory<Program>
{
    public const string ServerName = "family.example";
    public const string RegistrationSecret = "factory-registration-secret";
    public const string AdminPassword = "bootstrap-admin-password";
    public const string RoomOwnerPassword = "factory-room-owner-password";
    public const string RoomOwner = "@family-rooms:family.example";
    public const string InviteSecret = "factory-invite-secret-0123456789abcdef";

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("onboarding-tests-").FullName;

    public OnboardingFactory(int joinAttemptsPerMinute = 1000, bool kestrel = false, string? publicUrl = null, IReadOnlyDictionary<string, string>? settings = null, bool prometheusPort = false)
    {
        JoinAttemptsPerMinute = joinAttemptsPerMinute;
        _settings = settings ?? new Dictionary<string, string>();
        if (prometheusPort)
        {
            // Kestrel on two ports, as in the cluster: the public one and the Prometheus one (Metrics:PrometheusPort).
            var port = FreePort();
            var metrics = FreePort();
            PublicUrl = $"http://127.0.0.1:{port}";
            Port = port;
            MetricsPort = metrics;
            _settings = new Dictionary<string, string>(_settings) { ["Metrics:PrometheusPort"] = metrics.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            UseKestrel(options =>
            {
                options.Listen(System.Net.IPAddress.Loopback, port);
                options.Listen(System.Net.IPAddress.Loopback, metrics);
            });
        }
        else if (kestrel)
        {
            var port = FreePort();
            PublicUrl = $"http://127.0.0.1:{port}";
            Port = port;
            UseKestrel(port);
        }

        PublicUrl = publicUrl ?? PublicUrl;
    }

    private readonly IReadOnlyDictionary<string, string> _settings;

    /// <summary>The Kestrel port, when started that way.</summary>
    public int Port { get; }

    /// <summary>The Prometheus port, when started with one.</summary>
    public int MetricsPort { get; }

    internal static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal FakeDendriteHandler Dendrite { get; } = new(RegistrationSecret, ServerName);

    public int JoinAttemptsPerMinute { get; }

    /// <summary>Where the service says links start; the Kestrel address once started that way.</summary>
    public string PublicUrl { get; } = "http://onboarding.test";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Onboarding:PublicUrl", PublicUrl);
        builder.UseSetting("Onboarding:ServerName", ServerName);
        builder.UseSetting("Onboarding:HomeserverUrl", "https://matrix.family.example");
        builder.UseSetting("Onboarding:ElementUrl", "https://chat.family.example");
        builder.UseSetting("Onboarding:InviteSecret", InviteSecret);
        builder.UseSetting("Onboarding:RegistrationSecret", RegistrationSecret);
        builder.UseSetting("Onboarding:AdminUserName", "admin");
        builder.UseSetting("Onboarding:RoomOwnerPassword", RoomOwnerPassword);
        builder.UseSetting("Onboarding:DendriteUrl", "http://dendrite.test");
        builder.UseSetting("Onboarding:DataDirectory", _dataDirectory);
        builder.UseSetting("Onboarding:JoinAttemptsPerMinute", JoinAttemptsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
            services.AddHttpClient(DendriteHttp.ClientName).ConfigurePrimaryHttpMessageHandler(() => Dendrite));
    }

    /// <summary>A link made the way the admin page makes it.</summary>
    public async Task<string> CreateLinkAsync(string userName, string? displayName = null, int? hours = null)
    {
        using var scope = Services.CreateScope();
        var issued = await scope.ServiceProvider.GetRequiredService<InviteIssuer>()
            .CreateAsync(userName, displayName, hours, Dendrite.UserId("admin"), TestContext.Current.CancellationToken);
        Assert.Null(issued.Problem);
        return issued.Url!.ToString();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may hold the file a moment longer; the temp directory is cleaned by the system.
        }
    }
}
