using System.Buffers.Text;
using System.Text;
using System.Text.Json.Nodes;
using DendriteAspire.Onboarding.Invites;

namespace DendriteAspire.Onboarding.Tests;

public class InviteTokenTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("invite-token-test-key-of-reasonable-length");
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private static InviteToken Grandma(DateTimeOffset? expires = null) =>
        InviteToken.Create("grandma", "Grandma", "@admin:family.example", expires ?? Now.AddDays(7));

    [Fact]
    public void A_signed_token_reads_back_with_every_field()
    {
        var invite = Grandma();

        var read = InviteToken.Verify(invite.Sign(Key), Key, Now);

        Assert.Equal(InviteStatus.Valid, read.Status);
        Assert.Equal(invite, read.Invite);
        Assert.Equal("grandma", read.Invite!.UserName);
        Assert.Equal("Grandma", read.Invite.DisplayName);
        Assert.Equal("@admin:family.example", read.Invite.InvitedBy);
        Assert.Equal(Now.AddDays(7), read.Invite.ExpiresAt);
    }

    [Fact]
    public void The_nonce_carries_at_least_128_random_bits_and_differs_each_time()
    {
        var nonces = Enumerable.Range(0, 50).Select(_ => Grandma().Nonce).ToList();

        Assert.All(nonces, n => Assert.True(Base64Url.DecodeFromChars(n).Length * 8 >= 128));
        Assert.Equal(nonces.Count, nonces.Distinct().Count());
        Assert.NotEqual(Grandma().Sign(Key), Grandma().Sign(Key));
    }

    [Fact]
    public void A_token_past_its_expiry_is_expired_but_still_says_whose_it_was()
    {
        var token = Grandma(Now.AddHours(1)).Sign(Key);

        Assert.Equal(InviteStatus.Valid, InviteToken.Verify(token, Key, Now.AddMinutes(59)).Status);
        var late = InviteToken.Verify(token, Key, Now.AddHours(1));
        Assert.Equal(InviteStatus.Expired, late.Status);
        Assert.Equal("grandma", late.Invite!.UserName);
    }

    [Theory]
    [InlineData("u", "grandpa")]
    [InlineData("d", "Someone else")]
    [InlineData("by", "@mallory:family.example")]
    [InlineData("exp", 4102444800L)]
    [InlineData("n", "AAAAAAAAAAAAAAAAAAAAAA")]
    public void Changing_any_field_breaks_the_signature(string field, object value)
    {
        var token = Grandma().Sign(Key);
        var (payload, signature) = (token.Split('.')[0], token.Split('.')[1]);
        var json = JsonNode.Parse(Base64Url.DecodeFromChars(payload))!.AsObject();
        json[field] = value is long number ? JsonValue.Create(number) : JsonValue.Create((string)value);
        var forged = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json.ToJsonString())) + "." + signature;

        var read = InviteToken.Verify(forged, Key, Now);

        Assert.Equal(InviteStatus.Tampered, read.Status);
        Assert.Null(read.Invite);
    }

    [Fact]
    public void Changing_the_signature_is_tampering()
    {
        var token = Grandma().Sign(Key);
        var at = token.IndexOf('.', StringComparison.Ordinal) + 5;
        var changed = token[..at] + (token[at] == 'A' ? 'B' : 'A') + token[(at + 1)..];

        Assert.Equal(InviteStatus.Tampered, InviteToken.Verify(changed, Key, Now).Status);
    }

    [Fact]
    public void A_token_signed_under_another_key_is_refused_as_a_rotated_secret_revokes_every_link()
    {
        var token = Grandma().Sign(Encoding.UTF8.GetBytes("the-secret-before-rotation-was-this-one"));

        var read = InviteToken.Verify(token, Key, Now);

        Assert.Equal(InviteStatus.Tampered, read.Status);
        Assert.Null(read.Invite);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("abc.")]
    [InlineData(".abc")]
    [InlineData("a.b.c")]
    [InlineData("***.***")]
    public void Anything_that_is_not_a_token_is_malformed(string? token)
    {
        var read = InviteToken.Verify(token, Key, Now);

        Assert.Equal(InviteStatus.Malformed, read.Status);
        Assert.Null(read.Invite);
    }

    [Fact]
    public void A_correctly_signed_payload_that_is_not_an_invite_is_malformed()
    {
        var payload = Base64Url.EncodeToString("{\"x\":1}"u8);
        var signature = Base64Url.EncodeToString(System.Security.Cryptography.HMACSHA256.HashData(Key, Encoding.ASCII.GetBytes(payload)));

        Assert.Equal(InviteStatus.Malformed, InviteToken.Verify(payload + "." + signature, Key, Now).Status);
    }

    [Fact]
    public void A_cut_off_link_is_malformed_or_tampered_never_valid()
    {
        var token = Grandma().Sign(Key);
        for (var length = 0; length < token.Length; length += 7)
        {
            Assert.NotEqual(InviteStatus.Valid, InviteToken.Verify(token[..length], Key, Now).Status);
        }
    }
}
