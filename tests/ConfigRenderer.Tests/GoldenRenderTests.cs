using DendriteAspire.ConfigRenderer.Mapping;
using DendriteAspire.ConfigRenderer.Rendering;
using DendriteAspire.ConfigRenderer.Settings;

namespace DendriteAspire.ConfigRenderer.Tests;

/// <summary>
/// The default renders, byte for byte. To accept an intended change, run
/// <c>UPDATE_GOLDEN=1 dotnet test tests/ConfigRenderer.Tests</c> and review the diff of tests/ConfigRenderer.Tests/Golden.
/// </summary>
public class GoldenRenderTests
{
    [Fact]
    public void DefaultSqliteRender_MatchesGolden() => AssertGolden("sqlite-default.yaml", Configs.SqliteSettings());

    [Fact]
    public void DefaultPostgresRender_MatchesGolden() => AssertGolden("postgres-default.yaml", Configs.PostgresSettings());

    [Fact]
    public void EverythingOnRender_MatchesGolden() => AssertGolden("everything-on.yaml", Configs.EverythingSettings());

    [Fact]
    public void ImportRegistration_MatchesGolden() => AssertGolden("import-registration.yaml", Configs.EverythingSettings(), r => r.ImportRegistrationYaml);

    [Fact]
    public void Render_IsDeterministic()
    {
        var first = DendriteConfigRenderer.Render(Configs.EverythingSettings()).Yaml;
        var second = DendriteConfigRenderer.Render(Configs.EverythingSettings()).Yaml;
        var third = DendriteConfigRenderer.Render(Configs.EverythingSettings()).Yaml;

        Assert.NotNull(first);
        Assert.Equal(first, second);
        Assert.Equal(first, third);
    }

    [Fact]
    public void Render_UsesNewlinesOnlyAndNoBareIntegerDurations()
    {
        var yaml = DendriteConfigRenderer.Render(Configs.EverythingSettings()).Yaml!;

        Assert.DoesNotContain("\r", yaml, StringComparison.Ordinal);
        Assert.Contains("key_validity_period: 168h\n", yaml, StringComparison.Ordinal);
        Assert.Contains("max_age: 1h\n", yaml, StringComparison.Ordinal);
        Assert.Contains("turn_user_lifetime: 5m\n", yaml, StringComparison.Ordinal);
        Assert.Contains("max_size_estimated: 1gb\n", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void SqliteRender_GivesEachComponentItsOwnFileAndNoGlobalDatabase()
    {
        var yaml = DendriteConfigRenderer.Render(Configs.SqliteSettings()).Yaml!;
        var leaves = YamlKeyPaths.Leaves(yaml);

        var files = leaves.Where(l => l.Key.EndsWith("connection_string", StringComparison.Ordinal)).ToList();
        Assert.Equal(8, files.Count);
        Assert.Equal(8, files.Select(f => f.Value).Distinct().Count());
        Assert.All(files, f => Assert.StartsWith("file:/var/sqlite/dendrite/", f.Value, StringComparison.Ordinal));
        Assert.DoesNotContain("global.database.connection_string", leaves.Keys);
        Assert.Equal("file:/var/sqlite/dendrite/userapi.db", leaves["user_api.account_database.connection_string"]);
        Assert.Equal(SqliteDatabases.Names.Select(SqliteDatabases.ConnectionString).Order(), files.Select(f => f.Value).Order());
    }

    [Fact]
    public void PostgresRender_HasOneGlobalPoolAndNoComponentDatabases()
    {
        var leaves = YamlKeyPaths.Leaves(DendriteConfigRenderer.Render(Configs.PostgresSettings()).Yaml!);

        Assert.Equal(Configs.PostgresUri, leaves["global.database.connection_string"]);
        Assert.Equal("50", leaves["global.database.max_open_conns"]);
        Assert.Single(leaves, l => l.Key.EndsWith("connection_string", StringComparison.Ordinal));
    }

    [Fact]
    public void DefaultRender_HasTheFamilyDefaultsAndTheMountLayout()
    {
        var leaves = YamlKeyPaths.Leaves(DendriteConfigRenderer.Render(new DendriteSettings { ServerName = "family.example" }).Yaml!);

        Assert.Equal("2", leaves["version"]);
        Assert.Equal("family.example", leaves["global.server_name"]);
        Assert.Equal("/var/dendrite/storage-keys/matrix_key.pem", leaves["global.private_key"]);
        Assert.Equal("/var/dendrite/jetstream", leaves["global.jetstream.storage_path"]);
        Assert.Equal("/var/dendrite/media", leaves["media_api.base_path"]);
        Assert.Equal("/var/dendrite/searchindex", leaves["sync_api.search.index_path"]);
        Assert.Equal("true", leaves["global.disable_federation"]);
        Assert.Equal("false", leaves["global.presence.enable_inbound"]);
        Assert.Equal("false", leaves["global.report_stats.enabled"]);
        Assert.Equal("true", leaves["client_api.registration_disabled"]);
        Assert.Equal("true", leaves["client_api.guests_disabled"]);
        Assert.Equal("20", leaves["client_api.rate_limiting.threshold"]);
        Assert.Equal("500", leaves["client_api.rate_limiting.cooloff_ms"]);
        Assert.Equal("10485760", leaves["media_api.max_file_size_bytes"]);
        Assert.Equal("640", leaves["media_api.thumbnail_sizes[2].width"]);
        Assert.Equal("scale", leaves["media_api.thumbnail_sizes[2].method"]);
        Assert.Equal("10", leaves["user_api.bcrypt_cost"]);
        Assert.Equal("std", leaves["logging[0].type"]);
        Assert.Equal("info", leaves["logging[0].level"]);
    }

    private static void AssertGolden(string name, DendriteSettings settings, Func<RenderResult, string?>? pick = null)
    {
        var rendered = DendriteConfigRenderer.Render(settings);
        Assert.True(rendered.Succeeded, string.Join("\n", rendered.Findings));
        var result = new { Yaml = (pick ?? (r => r.Yaml))(rendered) };
        Assert.NotNull(result.Yaml);
        var path = Path.Combine(TestFiles.GoldenDirectory, name);
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, result.Yaml);
        }

        Assert.True(File.Exists(path), $"Golden file {path} is missing. Create it with: UPDATE_GOLDEN=1 dotnet test tests/ConfigRenderer.Tests");
        var expected = File.ReadAllText(path);
        if (expected != result.Yaml)
        {
            var expectedLines = expected.Split('\n');
            var actualLines = result.Yaml!.Split('\n');
            var line = Enumerable.Range(0, Math.Max(expectedLines.Length, actualLines.Length))
                .First(i => i >= expectedLines.Length || i >= actualLines.Length || expectedLines[i] != actualLines[i]);
            Assert.Fail(
                $"The render differs from golden file {path} at line {line + 1}:\n" +
                $"  golden: {(line < expectedLines.Length ? expectedLines[line] : "<end of file>")}\n" +
                $"  render: {(line < actualLines.Length ? actualLines[line] : "<end of file>")}\n" +
                "If the change is intended, run: UPDATE_GOLDEN=1 dotnet test tests/ConfigRenderer.Tests, then review and commit the Golden/*.yaml diff.");
        }
    }
}
