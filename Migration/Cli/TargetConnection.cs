using Npgsql;

namespace DendriteAspire.Migration.Cli;

/// <summary>
/// Turns <c>--to</c> into an Npgsql connection string. It takes a Postgres URI
/// (<c>postgres://user@host:port/database?sslmode=disable</c>, the form Dendrite's own config uses) or an Npgsql
/// connection string. The password is never an argument: it comes from the <c>PGPASSWORD</c> environment variable.
/// </summary>
public static class TargetConnection
{
    public const string PasswordVariable = "PGPASSWORD";

    /// <summary>The connection string, or throws <see cref="ArgumentException"/> naming what is wrong.</summary>
    public static string Build(string target, string? password)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        NpgsqlConnectionStringBuilder builder;
        if (target.StartsWith("postgres://", StringComparison.Ordinal) || target.StartsWith("postgresql://", StringComparison.Ordinal))
        {
            builder = FromUri(target);
        }
        else
        {
            try
            {
                builder = new NpgsqlConnectionStringBuilder(target);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"--to: neither a postgres:// URI nor an Npgsql connection string ({e.Message})", e);
            }

            if (!string.IsNullOrEmpty(builder.Password))
            {
                throw new ArgumentException($"--to: remove the password from the argument and set {PasswordVariable} instead (secrets are never taken as arguments)");
            }
        }

        if (string.IsNullOrEmpty(builder.Database))
        {
            throw new ArgumentException("--to: name the database, e.g. postgres://postgres@localhost:5432/dendrite");
        }

        if (!string.IsNullOrEmpty(password))
        {
            builder.Password = password;
        }

        // The copy of a large events table may take longer than the default 30 s command timeout.
        builder.CommandTimeout = 0;
        return builder.ConnectionString;
    }

    private static NpgsqlConnectionStringBuilder FromUri(string target)
    {
        if (!Uri.TryCreate(target, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException($"--to: \"{target}\" is not a valid postgres:// URI");
        }

        var userInfo = Uri.UnescapeDataString(uri.UserInfo);
        if (userInfo.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException($"--to: remove the password from the URI and set {PasswordVariable} instead (secrets are never taken as arguments)");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
        };
        if (userInfo.Length > 0)
        {
            builder.Username = userInfo;
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            var value = parts.Length == 2 ? Uri.UnescapeDataString(parts[1]) : "";
            switch (parts[0])
            {
                case "sslmode":
                    builder.SslMode = value switch
                    {
                        "disable" => SslMode.Disable,
                        "allow" => SslMode.Allow,
                        "prefer" => SslMode.Prefer,
                        "require" => SslMode.Require,
                        "verify-ca" => SslMode.VerifyCA,
                        "verify-full" => SslMode.VerifyFull,
                        _ => throw new ArgumentException($"--to: unknown sslmode \"{value}\""),
                    };
                    break;
                case "password":
                    throw new ArgumentException($"--to: remove the password from the URI and set {PasswordVariable} instead (secrets are never taken as arguments)");
                default:
                    throw new ArgumentException($"--to: unsupported URI parameter \"{parts[0]}\" (only sslmode)");
            }
        }

        return builder;
    }
}
