using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using DendriteAspire.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DendriteAspire.AppHost.Tests;

/// <summary>The bootstrap admin and the dashboard account commands, as the model declares them.</summary>
public class FamilyAccountsModelTests
{
    private static readonly string[] CommandNames = ["add-family-member", "reset-password", "remove-access"];

    [Fact]
    public async Task The_admin_password_is_a_generated_persisted_secret_parameter()
    {
        await using var app = await AppModel.BuildAsync();

        var parameter = app.Resource<ParameterResource>(DendriteAccountsBuilderExtensions.AdminPasswordParameterName);
        Assert.True(parameter.Secret);
        // persist: true wraps the generated default in Aspire's (internal) user-secrets default in run mode.
        Assert.Equal("UserSecretsParameterDefault", parameter.Default?.GetType().Name);

        // The manifest states the generator: at least 20 characters, and no value.
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "aspire-manifest.json"), TestContext.Current.CancellationToken));
        var input = manifest.RootElement.GetProperty("resources").GetProperty(parameter.Name).GetProperty("inputs").GetProperty("value");
        Assert.True(input.GetProperty("secret").GetBoolean());
        Assert.True(input.GetProperty("default").GetProperty("generate").GetProperty("minLength").GetInt32() >= 20);
        Assert.False(input.TryGetProperty("value", out _));

        var admin = Assert.Single(app.Resource<DendriteResource>("dendrite").Annotations.OfType<BootstrapAdminAnnotation>());
        Assert.Equal("admin", admin.UserName);
        Assert.Same(parameter, admin.Password);
    }

    [Fact]
    public async Task The_admin_user_name_comes_from_Dendrite_Admin_UserName()
    {
        await using var app = await AppModel.BuildAsync("--Dendrite:Admin:UserName=mum");

        Assert.Equal("mum", app.Resource<DendriteResource>("dendrite").Annotations.OfType<BootstrapAdminAnnotation>().Single().UserName);
    }

    [Theory]
    [InlineData("--Dendrite:Admin:UserName=Mum", "Dendrite:Admin:UserName", "lower case")]
    [InlineData("--Dendrite:Admin:UserName=_admin", "Dendrite:Admin:UserName", "starts with '_'")]
    [InlineData("--Dendrite:Admin:Password=hunter2", "Dendrite:Admin:Password", "dendrite-admin-password")]
    public async Task Bad_admin_settings_fail_while_building_with_the_key_path(string setting, string path, string fix)
    {
        var error = await Assert.ThrowsAsync<DendriteSettingsException>(() => AppModel.BuildAsync(setting));

        var finding = Assert.Single(error.Errors, e => e.Path == path);
        Assert.Contains(fix, finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dendrite_has_the_three_account_commands_with_their_inputs()
    {
        await using var app = await AppModel.BuildAsync();
        var commands = app.Resource<DendriteResource>("dendrite").Annotations.OfType<ResourceCommandAnnotation>()
            .Where(c => CommandNames.Contains(c.Name)).ToDictionary(c => c.Name);

        Assert.Equal(CommandNames.Order(), commands.Keys.Order());
        Assert.Equal("Add family member", commands["add-family-member"].DisplayName);
        Assert.Equal("Reset password", commands["reset-password"].DisplayName);
        Assert.Equal("Remove access", commands["remove-access"].DisplayName);

        var add = commands["add-family-member"].Arguments;
        Assert.Equal(["userName", "displayName", "admin"], add.Select(a => a.Name));
        Assert.Equal([InputType.Text, InputType.Text, InputType.Boolean], add.Select(a => a.InputType));
        Assert.True(add[0].Required);
        Assert.False(add[1].Required);
        Assert.All(add, input => Assert.NotEqual(InputType.SecretText, input.InputType));

        foreach (var name in CommandNames)
        {
            Assert.Equal("userName", commands[name].Arguments[0].Name);
            Assert.NotNull(commands[name].ValidateArguments);
        }

        Assert.Null(commands["add-family-member"].ConfirmationMessage);
        Assert.Contains("can no longer sign in", commands["remove-access"].ConfirmationMessage, StringComparison.Ordinal);
    }

    /// <summary>
    /// A running resource with no failing health report is healthy (Aspire derives <c>HealthStatus</c>; tests can set
    /// only the state); starting and exited resources have no health and the commands are disabled.
    /// </summary>
    [Theory]
    [InlineData("Running", ResourceCommandState.Enabled)]
    [InlineData("Starting", ResourceCommandState.Disabled)]
    [InlineData("Exited", ResourceCommandState.Disabled)]
    public async Task Account_commands_are_enabled_only_while_dendrite_is_healthy(string state, ResourceCommandState expected)
    {
        await using var app = await AppModel.BuildAsync();
        var snapshot = new CustomResourceSnapshot
        {
            ResourceType = "Container",
            Properties = [],
            State = state,
        };
        Assert.Equal(state == "Running" ? HealthStatus.Healthy : null, snapshot.HealthStatus);
        var context = new UpdateCommandStateContext { ResourceSnapshot = snapshot, Services = app.App.Services };

        foreach (var command in app.Resource<DendriteResource>("dendrite").Annotations.OfType<ResourceCommandAnnotation>().Where(c => CommandNames.Contains(c.Name)))
        {
            Assert.Equal(expected, command.UpdateState(context));
        }
    }
}
