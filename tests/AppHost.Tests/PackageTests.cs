using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;

namespace DendriteAspire.AppHost.Tests;

/// <summary>
/// DendriteAspire.Hosting as a package: <c>dotnet pack</c> into a local feed, then a throwaway AppHost that knows only
/// the package's public API adds Dendrite in three lines and publishes it for Kubernetes. Restores from the local feed
/// and the machine's NuGet package folder only, so it passes offline once the repository itself has been built.
/// </summary>
public class PackageTests
{
    private const string ConsumerProgram = """
        using DendriteAspire.Hosting;
        using DendriteAspire.Hosting.Configuration;
        using DendriteAspire.Hosting.Kubernetes;

        DendriteAppHost.ExitOnInvalidSettings();
        var builder = DistributedApplication.CreateBuilder(args);
        var settings = DendriteConfiguration.Bind(builder.Configuration);
        builder.AddDendrite("dendrite", settings.Dendrite).WithKeyGeneration().WithPersistentState();
        builder.AddKubernetesEnvironment("k8s", settings.Kubernetes, settings.Dendrite.VolumePrefix);
        builder.Build().Run();
        """;

    /// <summary>The libraries DendriteAspire.Hosting depends on as packages: project directory and package id.</summary>
    private static readonly (string Project, string Id)[] LibraryPackages =
    [
        ("Libraries/ConfigRenderer", "DendriteAspire.ConfigRenderer"),
        ("Libraries/Admin", "DendriteAspire.Admin"),
        ("Libraries/SlackImport", "DendriteAspire.SlackImport"),
        ("Libraries/Backup", "DendriteAspire.Backup"),
        ("Libraries/OnboardingContract", "DendriteAspire.Onboarding.Contract"),
    ];

    [Fact]
    public async Task A_new_AppHost_using_only_the_package_adds_dendrite_in_three_lines_and_publishes_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var version = string.Create(CultureInfo.InvariantCulture, $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Guid.NewGuid().ToString("N")[..6]}");
        var root = Directory.CreateTempSubdirectory("dendrite-package-").FullName;
        var packages = await GlobalPackagesFolderAsync(ct);
        try
        {
            var feed = Path.Combine(root, "feed");
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
            foreach (var project in LibraryPackages.Select(p => p.Project).Append("Hosting"))
            {
                await DotnetAsync(RepositoryRoot.Path, ct, "pack", project, "-c", configuration, "--no-build", "-o", feed, $"-p:Version={version}");
            }

            var package = Path.Combine(feed, $"DendriteAspire.Hosting.{version}.nupkg");
            using (var archive = ZipFile.OpenRead(package))
            {
                var libraries = archive.Entries.Select(e => e.FullName).Where(n => n.StartsWith("lib/", StringComparison.Ordinal)).ToList();
                Assert.Contains("lib/net10.0/DendriteAspire.Hosting.dll", libraries);
                Assert.Contains("lib/net10.0/DendriteAspire.Hosting.xml", libraries);
                // The libraries are packages of their own at the same version, not assemblies copied into this one.
                Assert.DoesNotContain("lib/net10.0/DendriteAspire.ConfigRenderer.dll", libraries);

                using var nuspec = new StreamReader(archive.GetEntry("DendriteAspire.Hosting.nuspec")!.Open());
                var metadata = await nuspec.ReadToEndAsync(ct);
                foreach (var (_, id) in LibraryPackages)
                {
                    Assert.Contains($"id=\"{id}\" version=\"{version}\"", metadata, StringComparison.Ordinal);
                }

                Assert.Contains("id=\"YamlDotNet\"", metadata, StringComparison.Ordinal);
            }

            foreach (var (_, id) in LibraryPackages)
            {
                using var library = ZipFile.OpenRead(Path.Combine(feed, $"{id}.{version}.nupkg"));
                Assert.Contains($"lib/net10.0/{id}.dll", library.Entries.Select(e => e.FullName));
            }

            var consumer = Path.Combine(root, "consumer");
            Directory.CreateDirectory(consumer);
            await File.WriteAllTextAsync(Path.Combine(consumer, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="local-feed" value="{feed}" />
                    <add key="machine-packages" value="{packages}" />
                  </packageSources>
                </configuration>
                """, ct);
            await File.WriteAllTextAsync(Path.Combine(consumer, "Consumer.csproj"), $"""
                <Project Sdk="Aspire.AppHost.Sdk/13.6.4">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <Nullable>enable</Nullable>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                    <UserSecretsId>dendrite-aspire-package-test</UserSecretsId>
                    <NoWarn>$(NoWarn);ASPIRE010</NoWarn>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="Aspire.Hosting.AppHost" Version="13.6.5" />
                    <PackageReference Include="Polly.Core" Version="8.8.0" />
                    <PackageReference Include="Nerdbank.MessagePack" Version="1.3.88" />
                    <PackageReference Include="DendriteAspire.Hosting" Version="{version}" />
                  </ItemGroup>
                </Project>
                """, ct);
            await File.WriteAllTextAsync(Path.Combine(consumer, "Program.cs"), ConsumerProgram, ct);

            await DotnetAsync(consumer, ct, "build");
            var output = Path.Combine(root, "k8s");
            await DotnetAsync(consumer, ct, "run", "--no-build", "--",
                "--operation", "publish", "--step", "publish", "--output-path", output,
                "--Dendrite:ServerName=family.example",
                "--Parameters:dendrite-registration-secret=package-test-registration-secret",
                "--Parameters:dendrite-metrics-password=package-test-metrics-password");

            var files = Directory.GetFiles(output).Select(Path.GetFileName).Order().ToList();
            Assert.Equal(
                ["dendrite-config-secret.yaml", "dendrite-headless-service.yaml", "dendrite-service.yaml", "dendrite-statefulset.yaml", "kustomization.yaml", "namespace.yaml"],
                files);
            var statefulSet = await File.ReadAllTextAsync(Path.Combine(output, "dendrite-statefulset.yaml"), ct);
            Assert.Contains("runAsNonRoot: true", statefulSet, StringComparison.Ordinal);
            Assert.Contains("name: dendrite-keygen", statefulSet, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
            foreach (var id in LibraryPackages.Select(p => p.Id).Append("DendriteAspire.Hosting"))
            {
                var cached = Path.Combine(packages, id.ToLowerInvariant(), version);
                if (Directory.Exists(cached))
                {
                    Directory.Delete(cached, recursive: true);
                }
            }
        }
    }

    private static async Task<string> GlobalPackagesFolderAsync(CancellationToken ct)
    {
        var configured = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        var listed = await DotnetAsync(RepositoryRoot.Path, ct, "nuget", "locals", "global-packages", "--list");
        return listed.Trim().Split("global-packages:", 2)[1].Trim();
    }

    private static async Task<string> DotnetAsync(string directory, CancellationToken ct, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPIRE_INTERACTIVITY_ENABLED"] = "false";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(8));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var output = await stdout + await stderr;
        Assert.True(process.ExitCode == 0,
            $"dotnet {string.Join(' ', arguments)} exited {process.ExitCode}:\n{string.Join('\n', output.Split('\n').TakeLast(30))}");
        return output;
    }
}
