using System.Security.Cryptography;
using System.Text;

namespace DendriteAspire.Admin.Matrix;

/// <summary>
/// The MAC of Synapse-compatible shared-secret registration, as Dendrite checks it
/// (<c>clientapi/routing/register_secret.go</c>): hex( HMAC-SHA1( key = shared secret,
/// message = nonce NUL user NUL password NUL ("admin" | "notadmin") ) ), lower case.
/// </summary>
public static class SharedSecretMac
{
    /// <summary>Computes the lower-case hex MAC for one registration request.</summary>
    public static string Compute(string sharedSecret, string nonce, string userName, string password, bool admin)
    {
        ArgumentNullException.ThrowIfNull(sharedSecret);
        ArgumentNullException.ThrowIfNull(nonce);
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentNullException.ThrowIfNull(password);
        var message = string.Join('\0', nonce, userName, password, admin ? "admin" : "notadmin");
#pragma warning disable CA5350 // HMAC-SHA1 is what the registration protocol specifies; it is not our choice.
        var mac = HMACSHA1.HashData(Encoding.UTF8.GetBytes(sharedSecret), Encoding.UTF8.GetBytes(message));
#pragma warning restore CA5350
        return Convert.ToHexStringLower(mac);
    }
}
