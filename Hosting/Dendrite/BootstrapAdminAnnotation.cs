namespace DendriteAspire.Hosting;

/// <summary>
/// The first admin of a Dendrite homeserver: its user name (<c>Dendrite:Admin:UserName</c>) and the secret parameter
/// holding its password. Locally the AppHost makes the account once Dendrite is healthy; in the cluster a Job does.
/// </summary>
/// <param name="userName">The admin's user name, already checked against the Matrix rules.</param>
/// <param name="password">The secret parameter with the admin's password (<c>dendrite-admin-password</c>).</param>
public sealed class BootstrapAdminAnnotation(string userName, ParameterResource password) : IResourceAnnotation
{
    /// <summary>The admin's user name, for example <c>admin</c>.</summary>
    public string UserName { get; } = userName;

    /// <summary>The secret parameter with the admin's password; its value is never logged.</summary>
    public ParameterResource Password { get; } = password;
}
