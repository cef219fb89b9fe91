using System.Globalization;
using System.Text;

namespace DendriteAspire.Admin.Accounts;

/// <summary>
/// A valid Matrix user name (the localpart: <c>alice</c> in <c>@alice:family.example</c>). The rules are checked
/// when one is made, before any call to Dendrite: lower-case <c>a-z 0-9 . _ = - /</c>, no leading <c>_</c>, and the
/// full id at most 255 bytes (checked by <see cref="ToUserId"/>, which knows the server name). Each broken rule is an
/// <see cref="InvalidUserNameException"/> naming it.
/// </summary>
/// <example>
/// <code>
/// var alice = UserName.Parse("alice");
/// string id = alice.ToUserId("family.example"); // "@alice:family.example"
/// </code>
/// </example>
public readonly record struct UserName
{
    /// <summary>The Matrix limit on a full user id, <c>@name:server</c>, in bytes (UTF-8).</summary>
    public const int MaxUserIdBytes = 255;

    /// <summary>The characters a user name may contain besides <c>a-z</c> and <c>0-9</c>.</summary>
    public const string AllowedPunctuation = "._=-/";

    private readonly string? _value;

    private UserName(string value) => _value = value;

    /// <summary>The name, for example <c>alice</c>.</summary>
    public string Value => _value ?? throw new InvalidOperationException("default(UserName) is not a user name; use UserName.Parse");

    /// <summary>Checks <paramref name="value"/> against the rules; throws <see cref="InvalidUserNameException"/> naming the broken one.</summary>
    public static UserName Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Check(value) is { } problem ? throw problem : new UserName(value);
    }

    /// <summary>Checks without throwing; <paramref name="problem"/> names the broken rule.</summary>
    public static bool TryParse(string? value, out UserName userName, out InvalidUserNameException? problem)
    {
        problem = Check(value ?? "");
        userName = problem is null ? new UserName(value!) : default;
        return problem is null;
    }

    /// <summary>
    /// The full user id on <paramref name="serverName"/>; throws <see cref="InvalidUserNameException"/>
    /// (<see cref="UserNameRule.MaxLength"/>) when it would exceed 255 bytes.
    /// </summary>
    public string ToUserId(string serverName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serverName);
        var userId = $"@{Value}:{serverName}";
        var bytes = Encoding.UTF8.GetByteCount(userId);
        return bytes > MaxUserIdBytes
            ? throw new InvalidUserNameException(Value, UserNameRule.MaxLength, string.Create(CultureInfo.InvariantCulture,
                $"user name \"{Shorten(Value)}\" is too long: {userId.Length} characters make the user id {bytes} bytes, and a Matrix user id (@name:{serverName}) is at most {MaxUserIdBytes} bytes"))
            : userId;
    }

    /// <summary>The name.</summary>
    public override string ToString() => Value;

    private static InvalidUserNameException? Check(string value)
    {
        if (value.Length == 0)
        {
            return new InvalidUserNameException(value, UserNameRule.NotEmpty, "a user name cannot be empty; use lower-case letters and digits, for example \"alice\"");
        }

        if (value[0] == '@' || value.Contains(':', StringComparison.Ordinal))
        {
            var name = value.TrimStart('@').Split(':')[0];
            return new InvalidUserNameException(value, UserNameRule.NameOnly,
                $"\"{Shorten(value)}\" is a full user id; give the name only (\"{Shorten(name)}\"), without '@' and ':server'");
        }

        if (value.Any(char.IsUpper))
        {
            return new InvalidUserNameException(value, UserNameRule.LowerCase,
                $"user name \"{Shorten(value)}\" has upper-case letters; Matrix user names are lower case: use \"{Shorten(value.ToLowerInvariant())}\"");
        }

        foreach (var c in value)
        {
            if (!IsAllowed(c))
            {
                var shown = char.IsControl(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : c.ToString();
                return new InvalidUserNameException(value, UserNameRule.AllowedCharacters,
                    $"user name \"{Shorten(value)}\" contains '{shown}'; a Matrix user name may contain only a-z, 0-9 and . _ = - /");
            }
        }

        if (value[0] == '_')
        {
            return new InvalidUserNameException(value, UserNameRule.NoLeadingUnderscore,
                $"user name \"{Shorten(value)}\" starts with '_'; Dendrite refuses names that start with '_' (they are reserved for bridges and services)");
        }

        // "@" + name + ":" + at least one character of server name.
        if (value.Length + 3 > MaxUserIdBytes)
        {
            return new InvalidUserNameException(value, UserNameRule.MaxLength, string.Create(CultureInfo.InvariantCulture,
                $"user name \"{Shorten(value)}\" is {value.Length} characters; a Matrix user id (@name:server) is at most {MaxUserIdBytes} bytes"));
        }

        return null;
    }

    private static bool IsAllowed(char c) => c is >= 'a' and <= 'z' or >= '0' and <= '9' || AllowedPunctuation.Contains(c, StringComparison.Ordinal);

    private static string Shorten(string value) => value.Length > 40 ? value[..40] + "..." : value;
}
