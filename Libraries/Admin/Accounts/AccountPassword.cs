using System.Security.Cryptography;
using System.Text;

namespace DendriteAspire.Admin.Accounts;

/// <summary>
/// Passwords for family accounts: generated ones come from the cryptographic random number generator; given ones
/// are checked against Dendrite's own rules (8 to 512 bytes, no NUL) before any call.
/// </summary>
public static class AccountPassword
{
    /// <summary>The length of a generated password: 24 characters of 62, about 143 bits.</summary>
    public const int GeneratedLength = 24;

    /// <summary>Dendrite's minimum (<c>internal/validate.go</c>).</summary>
    public const int MinLength = 8;

    /// <summary>Dendrite's maximum, in bytes.</summary>
    public const int MaxBytes = 512;

    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>A new random password of <see cref="GeneratedLength"/> letters and digits.</summary>
    public static string Generate() => RandomNumberGenerator.GetString(Alphabet, GeneratedLength);

    /// <summary>Throws <see cref="ArgumentException"/> (naming the rule, never the password) when Dendrite would refuse it.</summary>
    public static void Validate(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (password.Length < MinLength)
        {
            throw new ArgumentException($"the password is too short: Dendrite needs at least {MinLength} characters", nameof(password));
        }

        if (Encoding.UTF8.GetByteCount(password) > MaxBytes)
        {
            throw new ArgumentException($"the password is too long: Dendrite accepts at most {MaxBytes} bytes", nameof(password));
        }

        if (password.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("the password contains a NUL character, which shared-secret registration refuses", nameof(password));
        }
    }
}
