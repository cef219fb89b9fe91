using System.Globalization;
using System.Text.Json.Nodes;

namespace DendriteAspire.Integration.Tests;

/// <summary>
/// Synapse-compatible shared-secret registration (<c>/_synapse/admin/v1/register</c>), which Dendrite serves when
/// <c>client_api.registration_shared_secret</c> is set: GET a nonce, then POST the user with an HMAC-SHA1 over
/// nonce, user, password and "admin"/"notadmin", NUL-separated, keyed with the shared secret, hex encoded.
/// </summary>
public static class SharedSecretRegistration
{
    public const string Path = "/_synapse/admin/v1/register";

    /// <summary>The product's MAC (<see cref="Admin.Matrix.SharedSecretMac"/>); kept here so raw-request tests read naturally.</summary>
    public static string ComputeMac(string sharedSecret, string nonce, string username, string password, bool admin) =>
        Admin.Matrix.SharedSecretMac.Compute(sharedSecret, nonce, username, password, admin);

    public static async Task<MatrixResponse> RegisterAsync(
        MatrixClient client, string sharedSecret, string username, string password, bool admin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var nonceResponse = (await client.GetAsync(Path, null, cancellationToken).ConfigureAwait(false)).EnsureSuccess("GET nonce");
        var nonce = nonceResponse.GetString("nonce");
        var body = new JsonObject
        {
            ["nonce"] = nonce,
            ["username"] = username,
            ["password"] = password,
            ["admin"] = admin,
            ["mac"] = ComputeMac(sharedSecret, nonce, username, password, admin),
        };
        return await client.SendAsync(HttpMethod.Post, Path, body, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A unique, valid localpart (lower case, no leading underscore).</summary>
    public static string NewLocalpart(string stem) =>
        string.Create(CultureInfo.InvariantCulture, $"{stem}{Random.Shared.Next(100_000, 999_999)}");
}
