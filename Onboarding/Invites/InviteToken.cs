using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DendriteAspire.Onboarding.Invites;

/// <summary>
/// What an invite link says: who may join under which user name, until when, and who invited them. The link is
/// <c>/join/&lt;payload&gt;.&lt;signature&gt;</c>: base64url JSON, then base64url HMAC-SHA256 of the payload under the
/// invite secret. A random nonce of 128 bits makes every link unique.
/// </summary>
/// <param name="UserName">The localpart the account will have, fixed by the invite.</param>
/// <param name="DisplayName">The name shown in the family room, if the admin gave one.</param>
/// <param name="InvitedBy">The Matrix id of the admin who made the invite.</param>
/// <param name="ExpiresAt">When the link stops working.</param>
/// <param name="Nonce">Random bytes, base64url.</param>
public sealed record InviteToken(
    [property: JsonPropertyName("u")] string UserName,
    [property: JsonPropertyName("d")] string? DisplayName,
    [property: JsonPropertyName("by")] string InvitedBy,
    [property: JsonPropertyName("exp"), JsonConverter(typeof(UnixSecondsConverter))] DateTimeOffset ExpiresAt,
    [property: JsonPropertyName("n")] string Nonce)
{
    /// <summary>Bytes of randomness per invite: 128 bits.</summary>
    public const int NonceBytes = 16;

    /// <summary>A new invite with a fresh nonce.</summary>
    public static InviteToken Create(string userName, string? displayName, string invitedBy, DateTimeOffset expiresAt) =>
        new(userName, string.IsNullOrWhiteSpace(displayName) ? null : displayName.Trim(), invitedBy,
            DateTimeOffset.FromUnixTimeSeconds(expiresAt.ToUnixTimeSeconds()),
            Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(NonceBytes)));

    /// <summary>The token text that goes in the link.</summary>
    public string Sign(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var payload = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(this));
        return payload + "." + Base64Url.EncodeToString(Mac(key, payload));
    }

    /// <summary>
    /// Reads a token, checking its signature in constant time before anything else is trusted, then its expiry.
    /// </summary>
    public static InviteVerification Verify(string? token, byte[] key, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(key);
        var parts = (token ?? string.Empty).Split('.');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0
            || !Base64Url.IsValid(parts[0]) || !Base64Url.IsValid(parts[1]))
        {
            return new(InviteStatus.Malformed, null);
        }

        byte[] signature;
        try
        {
            signature = Base64Url.DecodeFromChars(parts[1]);
        }
        catch (FormatException)
        {
            return new(InviteStatus.Malformed, null);
        }

        if (!CryptographicOperations.FixedTimeEquals(signature, Mac(key, parts[0])))
        {
            return new(InviteStatus.Tampered, null);
        }

        InviteToken? invite;
        try
        {
            invite = JsonSerializer.Deserialize<InviteToken>(Base64Url.DecodeFromChars(parts[0]));
        }
        catch (Exception exception) when (exception is JsonException or FormatException or InvalidOperationException or ArgumentException)
        {
            return new(InviteStatus.Malformed, null);
        }

        if (invite is null || string.IsNullOrEmpty(invite.UserName) || string.IsNullOrEmpty(invite.Nonce))
        {
            return new(InviteStatus.Malformed, null);
        }

        return invite.ExpiresAt <= now ? new(InviteStatus.Expired, invite) : new(InviteStatus.Valid, invite);
    }

    private static byte[] Mac(byte[] key, string payload) => HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(payload));
}

/// <summary>What a link turned out to be.</summary>
public enum InviteStatus
{
    /// <summary>Signed by us and not expired (it may still be used already; only Dendrite knows).</summary>
    Valid,
    /// <summary>Signed by us, past its expiry.</summary>
    Expired,
    /// <summary>Well formed, but the signature does not match: changed, or made under another (rotated) secret.</summary>
    Tampered,
    /// <summary>Not a token at all (cut off when copied, for example).</summary>
    Malformed,
}

/// <summary>The outcome of reading a link; <see cref="Invite"/> is set only when the signature held.</summary>
public sealed record InviteVerification(InviteStatus Status, InviteToken? Invite);

/// <summary>Expiry as Unix seconds: short links, no time-zone text to tamper with.</summary>
internal sealed class UnixSecondsConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64());

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(value.ToUnixTimeSeconds());
}
