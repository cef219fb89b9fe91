using DendriteAspire.Admin.Accounts;
using DendriteAspire.ConfigRenderer.Rendering;
using Microsoft.Extensions.Configuration;

namespace DendriteAspire.Hosting;

/// <summary>
/// The <c>Dendrite:Admin</c> settings: who the first admin is (<c>Dendrite:Admin:UserName</c>, default <c>admin</c>).
/// Its password is never a setting: it is the generated secret parameter <c>dendrite-admin-password</c>.
/// </summary>
internal static class BootstrapAdminSettings
{
    public const string SectionKey = "Admin";
    public const string UserNameKey = "UserName";
    public const string DefaultUserName = "admin";

    private const string KeyPrefix = DendriteHostOptions.SectionName + ":" + SectionKey + ":";

    /// <summary>The host keys plus <c>Admin</c>, which ConfigRenderer's settings binder must leave alone.</summary>
    public static IReadOnlySet<string> AlsoIgnoring(IReadOnlySet<string> keys) =>
        new HashSet<string>(keys, StringComparer.OrdinalIgnoreCase) { SectionKey };

    /// <summary>The admin's user name; a <see cref="DendriteSettingsException"/> naming the key when it breaks a rule.</summary>
    public static UserName Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(DendriteHostOptions.SectionName).GetSection(SectionKey);
        var errors = new List<ConfigFinding>();
        foreach (var child in section.GetChildren())
        {
            if (!string.Equals(child.Key, UserNameKey, StringComparison.OrdinalIgnoreCase))
            {
                var hint = child.Key.Contains("password", StringComparison.OrdinalIgnoreCase)
                    ? $"the admin password is never a setting; it is the secret parameter {DendriteAccountsBuilderExtensions.AdminPasswordParameterName} (generated and kept in user secrets)"
                    : $"the only key here is {UserNameKey}";
                errors.Add(new ConfigFinding(FindingSeverity.Error, KeyPrefix + child.Key, $"unknown setting; {hint}"));
            }
        }

        var value = section[UserNameKey];
        var name = string.IsNullOrWhiteSpace(value) ? DefaultUserName : value.Trim();
        if (!UserName.TryParse(name, out var userName, out var problem))
        {
            errors.Add(new ConfigFinding(FindingSeverity.Error, KeyPrefix + UserNameKey, problem!.Message));
        }

        return errors.Count > 0 ? throw new DendriteSettingsException(errors) : userName;
    }
}
