using Microsoft.Extensions.DependencyInjection;

namespace DendriteAspire.Hosting;

/// <summary>Family accounts without a terminal: the first admin, and dashboard commands to add and manage people.</summary>
public static class DendriteAccountsBuilderExtensions
{
    /// <summary>The secret parameter holding the bootstrap admin's password.</summary>
    public const string AdminPasswordParameterName = "dendrite-admin-password";

    /// <summary>
    /// Declares the first admin: <c>Dendrite:Admin:UserName</c> (default <c>admin</c>) with a generated password kept in
    /// user secrets (the secret parameter <c>dendrite-admin-password</c>). Once Dendrite is healthy the AppHost makes
    /// sure the account exists, leaving an existing one and its password alone; the outcome is in Dendrite's log. In
    /// the cluster, a Job does the same. Throws <see cref="DendriteSettingsException"/> when the user name breaks a rule.
    /// </summary>
    /// <example>
    /// <code>
    /// builder.AddDendrite("dendrite").WithBootstrapAdmin().WithAccountCommands();
    /// </code>
    /// </example>
    public static IResourceBuilder<DendriteResource> WithBootstrapAdmin(this IResourceBuilder<DendriteResource> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Resource.Annotations.OfType<BootstrapAdminAnnotation>().Any())
        {
            return builder;
        }

        var userName = BootstrapAdminSettings.Read(builder.ApplicationBuilder.Configuration);
        var password = builder.ApplicationBuilder.AddParameter(
            AdminPasswordParameterName,
            new GenerateParameterDefault { MinLength = 24, Special = false },
            secret: true,
            persist: true);
        var admin = new BootstrapAdminAnnotation(userName.Value, password.Resource);
        var connection = new DendriteAccounts(builder.Resource, admin);
        builder.WithAnnotation(admin).WithAnnotation(new DendriteAccountsAnnotation(connection));

        return builder.OnResourceReady((_, ready, cancellationToken) =>
        {
            var logger = ready.Services.GetRequiredService<ResourceLoggerService>().GetLogger(builder.Resource);
            return BootstrapAdminProvisioning.EnsureAsync(connection, logger, cancellationToken);
        });
    }

    /// <summary>
    /// Adds the dashboard commands "Add family member", "Reset password" and "Remove access" to Dendrite. They sign in
    /// as the bootstrap admin (added by <see cref="WithBootstrapAdmin"/> when missing) and are enabled only while
    /// Dendrite is healthy. New passwords are shown once in the result dialog and never logged.
    /// </summary>
    /// <example>
    /// <code>
    /// builder.AddDendrite("dendrite").WithAccountCommands();
    /// </code>
    /// </example>
    public static IResourceBuilder<DendriteResource> WithAccountCommands(this IResourceBuilder<DendriteResource> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.WithBootstrapAdmin();
        var connection = builder.Resource.Annotations.OfType<DendriteAccountsAnnotation>().Single().Connection;
        AccountCommands.Add(builder, connection);
        return builder;
    }
}

/// <summary>Holds the AppHost's account connection for a Dendrite resource, shared by the bootstrap step and the commands.</summary>
internal sealed class DendriteAccountsAnnotation(DendriteAccounts connection) : IResourceAnnotation
{
    public DendriteAccounts Connection { get; } = connection;
}
