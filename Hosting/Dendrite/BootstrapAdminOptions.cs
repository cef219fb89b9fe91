using DendriteAspire.Admin.Accounts;
using DendriteAspire.ConfigRenderer.Rendering;

namespace DendriteAspire.Hosting;

/// <summary>
/// The first admin (the <c>Dendrite:Admin</c> keys): its user name, default <c>admin</c>. Its password is never a
/// setting: it is the generated secret parameter <c>&lt;dendrite&gt;-admin-password</c>.
/// </summary>
public sealed class BootstrapAdminOptions
{
    internal const string SectionKey = "Admin";
    internal const string UserNameKey = "UserName";
    internal const string DefaultUserName = "admin";

    private const string KeyPrefix = DendriteHostOptions.SectionName + ":" + SectionKey + ":";

    /// <summary>The admin's user name, e.g. <c>admin</c> or <c>mum</c>; it must follow the Matrix rules.</summary>
    public string UserName { get; init; } = DefaultUserName;

    /// <summary>The user name, parsed; a <see cref="DendriteSettingsException"/> naming the key when it breaks a rule.</summary>
    internal Admin.Accounts.UserName Parse() =>
        Admin.Accounts.UserName.TryParse(UserName, out var userName, out var problem)
            ? userName
            : throw new DendriteSettingsException([UserNameError(problem!.Message)]);

    /// <summary>The rule the user name breaks, or none.</summary>
    internal IReadOnlyList<ConfigFinding> Validate() =>
        Admin.Accounts.UserName.TryParse(UserName, out _, out var problem) ? [] : [UserNameError(problem!.Message)];

    /// <summary>A key under <c>Dendrite:Admin</c> other than <c>UserName</c>.</summary>
    internal static ConfigFinding UnknownKey(string key)
    {
        var hint = key.Contains("password", StringComparison.OrdinalIgnoreCase)
            ? $"the admin password is never a setting; it is the secret parameter {DendriteAccountsBuilderExtensions.AdminPasswordParameterName} (generated and kept in user secrets)"
            : $"the only key here is {UserNameKey}";
        return new ConfigFinding(FindingSeverity.Error, KeyPrefix + key, $"unknown setting; {hint}");
    }

    private static ConfigFinding UserNameError(string message) => new(FindingSeverity.Error, KeyPrefix + UserNameKey, message);
}
