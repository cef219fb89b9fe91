using DendriteAspire.Admin.Matrix;

namespace DendriteAspire.Admin.Tests;

/// <summary>The registration MAC, checked against vectors computed independently (Python's hmac module).</summary>
public class SharedSecretMacTests
{
    [Theory]
    [InlineData("alice", true, "ccc83fd1ed50560c3f1c435f7d42619208c39c9f")]
    [InlineData("bob", false, "5966bb4e1d57f6a1ee5607d6e709ef2a89f0e694")]
    public void Mac_IsHexHmacSha1_OverNulSeparatedFields(string user, bool admin, string expected) =>
        Assert.Equal(expected, SharedSecretMac.Compute("shared-secret", "abc123", user, "correct horse", admin));
}
