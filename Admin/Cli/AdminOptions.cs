using System.CommandLine;
using DendriteAspire.Admin.Accounts;

namespace DendriteAspire.Admin.Cli;

/// <summary>
/// The options commands share, and how credentials are read. Secrets come only from files or environment
/// variables, never from an argument (arguments end up in shell history and process lists).
/// </summary>
internal static class AdminOptions
{
    public const string SharedSecretVariable = "DENDRITE_REGISTRATION_SHARED_SECRET";
    public const string AdminPasswordVariable = "DENDRITE_ADMIN_PASSWORD";
    public const string DefaultAdminUser = "admin";

    public static Option<Uri> Homeserver() => new("--homeserver")
    {
        Description = "The homeserver's client API, for example http://localhost:8008 (through kubectl port-forward on a cluster).",
        Required = true,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            {
                return uri;
            }

            result.AddError($"--homeserver \"{text}\" is not an http(s) URL; use for example http://localhost:8008");
            return null;
        },
    };

    public static Option<FileInfo> SharedSecretFile() => new("--shared-secret-file")
    {
        Description = $"A file holding the registration shared secret (otherwise ${SharedSecretVariable}).",
    };

    public static Option<string> AdminUser() => new("--admin-user")
    {
        Description = "The admin to sign in as.",
        DefaultValueFactory = _ => DefaultAdminUser,
    };

    public static Option<FileInfo> AdminPasswordFile() => new("--admin-password-file")
    {
        Description = $"A file holding the admin's password (otherwise ${AdminPasswordVariable}).",
    };

    public static Option<FileInfo> PasswordFile(string purpose) => new("--password-file")
    {
        Description = $"A file holding {purpose}; without it a random password is generated and printed once.",
    };

    public static Option<string> ServerName() => new("--server-name")
    {
        Description = "The server name in user ids (@name:<server name>), to check a name's full length before any call; optional (admin commands learn it when they sign in).",
    };

    public static Argument<string> UserName(string description) => new("name") { Description = description };

    /// <summary>Reads a secret: the file when given, else the variable; trimmed like Dendrite's own tools.</summary>
    public static string ReadSecret(FileInfo? file, string variable, Func<string, string?> getVariable, string what, string option)
    {
        if (file is not null)
        {
            return ReadFile(file, what, option);
        }

        var value = getVariable(variable)?.Trim();
        return string.IsNullOrEmpty(value)
            ? throw new CredentialException($"no {what}: give {option} <file> or set ${variable}")
            : value;
    }

    /// <summary>A file's contents without surrounding whitespace; a clear error when missing or empty.</summary>
    public static string ReadFile(FileInfo file, string what, string option)
    {
        string text;
        try
        {
            text = File.ReadAllText(file.FullName).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CredentialException($"cannot read the {what} from {option} {file.FullName}: {e.Message}");
        }

        return text.Length == 0 ? throw new CredentialException($"{option} {file.FullName} is empty; it should hold the {what}") : text;
    }

    /// <summary>The admin credentials from <c>--admin-user</c> and <c>--admin-password-file</c> / the variable.</summary>
    public static AdminCredentials ReadAdmin(string? adminUser, FileInfo? passwordFile, Func<string, string?> getVariable) =>
        new(Accounts.UserName.Parse(adminUser ?? DefaultAdminUser),
            ReadSecret(passwordFile, AdminPasswordVariable, getVariable, "admin password", "--admin-password-file"));
}
