using DendriteAspire.Hosting.Kubernetes;
using Microsoft.Extensions.DependencyInjection;

namespace DendriteAspire.Hosting;

/// <summary>Family accounts without a terminal: the first admin, and dashboard commands to add and manage people.</summary>
public static class DendriteAccountsBuilderExtensions
{
    /// <summary>The secret parameter holding the bootstrap admin's password for the resource <c>dendrite</c>.</summary>
    public const string AdminPasswordParameterName = "dendrite-admin-password";

    /// <summary>
    /// The secret parameter holding the bootstrap admin's password of the Dendrite resource <paramref name="resourceName"/>:
    /// <c>&lt;name&gt;-admin-password</c> (<see cref="AdminPasswordParameterName"/> for <c>dendrite</c>).
    /// </summary>
    /// <param name="resourceName">The Dendrite resource's name.</param>
    /// <returns>The parameter's name.</returns>
    public static string AdminPasswordParameterNameFor(string resourceName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(resourceName);
        return $"{resourceName}-admin-password";
    }

    /// <summary>
    /// Declares the first admin: <see cref="BootstrapAdminOptions.UserName"/> (default <c>admin</c>) with a generated
    /// password kept in user secrets (the secret parameter <c>&lt;name&gt;-admin-password</c>). Once Dendrite is healthy
    /// the AppHost makes sure the account exists, leaving an existing one and its password alone; the outcome is in
    /// Dendrite's log. In the cluster, a Job does the same (Dendrite's <see cref="KubernetesObjectsAnnotation"/>).
    /// Throws <see cref="DendriteSettingsException"/> when the user name breaks a rule.
    /// </summary>
    /// <param name="builder">The Dendrite resource builder.</param>
    /// <param name="options">Who the first admin is, from <see cref="Configuration.DendriteConfiguration.Bind"/> or made in code.</param>
    /// <returns>The Dendrite resource builder.</returns>
    /// <example>
    /// <code>
    /// builder.AddDendrite("dendrite", settings.Dendrite).WithBootstrapAdmin(settings.Admin).WithAccountCommands();
    /// </code>
    /// </example>
    public static IResourceBuilder<DendriteResource> WithBootstrapAdmin(this IResourceBuilder<DendriteResource> builder, BootstrapAdminOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        if (builder.Resource.Annotations.OfType<BootstrapAdminAnnotation>().Any())
        {
            return builder;
        }

        var userName = options.Parse();
        var password = builder.ApplicationBuilder.AddParameter(
            AdminPasswordParameterNameFor(builder.Resource.Name),
            new GenerateParameterDefault { MinLength = 24, Special = false },
            secret: true,
            persist: true);
        var admin = new BootstrapAdminAnnotation(userName.Value, password.Resource);
        var connection = new DendriteAccounts(builder.Resource, admin);
        builder.WithAnnotation(admin).WithAnnotation(new DendriteAccountsAnnotation(connection))
            .WithKubernetesObjects(BootstrapAdminJob.ContributeAsync);

        return builder.OnResourceReady((_, ready, cancellationToken) =>
        {
            var logger = ready.Services.GetRequiredService<ResourceLoggerService>().GetLogger(builder.Resource);
            return BootstrapAdminProvisioning.EnsureAsync(connection, logger, cancellationToken);
        });
    }

    /// <summary>
    /// Adds the dashboard commands "Add family member", "Reset password" and "Remove access" to Dendrite. They sign in
    /// as the bootstrap admin, so <see cref="WithBootstrapAdmin"/> must come first; they are enabled only while
    /// Dendrite is healthy. New passwords are shown once in the result dialog and never logged.
    /// </summary>
    /// <param name="builder">The Dendrite resource builder, with its bootstrap admin.</param>
    /// <returns>The Dendrite resource builder.</returns>
    /// <exception cref="InvalidOperationException">The resource has no bootstrap admin yet.</exception>
    /// <example>
    /// <code>
    /// builder.AddDendrite("dendrite", settings.Dendrite).WithBootstrapAdmin(settings.Admin).WithAccountCommands();
    /// </code>
    /// </example>
    public static IResourceBuilder<DendriteResource> WithAccountCommands(this IResourceBuilder<DendriteResource> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var connection = builder.Resource.Annotations.OfType<DendriteAccountsAnnotation>().SingleOrDefault()?.Connection
            ?? throw new InvalidOperationException($"'{builder.Resource.Name}' has no bootstrap admin for the account commands to sign in as; call WithBootstrapAdmin first.");
        AccountCommands.Add(builder, connection);
        return builder;
    }
}

/// <summary>Holds the AppHost's account connection for a Dendrite resource, shared by the bootstrap step and the commands.</summary>
internal sealed class DendriteAccountsAnnotation(DendriteAccounts connection) : IResourceAnnotation
{
    public DendriteAccounts Connection { get; } = connection;
}
