using DendriteAspire.Admin.Accounts;

namespace DendriteAspire.Admin.Tests;

/// <summary>The Matrix user-name rules, checked before any call; each failure names its rule.</summary>
public class UserNameTests
{
    [Theory]
    [InlineData("alice")]
    [InlineData("bob.smith")]
    [InlineData("grand-ma_2")]
    [InlineData("a=b")]
    [InlineData("family/kids")]
    [InlineData("0")]
    public void Parse_AcceptsLowerCaseLettersDigitsAndTheAllowedPunctuation(string name) =>
        Assert.Equal(name, UserName.Parse(name).Value);

    [Theory]
    [InlineData("", UserNameRule.NotEmpty, "cannot be empty")]
    [InlineData("@alice:family.example", UserNameRule.NameOnly, "give the name only (\"alice\")")]
    [InlineData("alice:family.example", UserNameRule.NameOnly, "without '@' and ':server'")]
    [InlineData("Alice", UserNameRule.LowerCase, "use \"alice\"")]
    [InlineData("alice smith", UserNameRule.AllowedCharacters, "U+0020")]
    [InlineData("alice+tag", UserNameRule.AllowedCharacters, "contains '+'")]
    [InlineData("zoë", UserNameRule.AllowedCharacters, "contains 'ë'")]
    [InlineData("_bridge", UserNameRule.NoLeadingUnderscore, "starts with '_'")]
    public void Parse_RefusesEachBrokenRule_NamingIt(string name, UserNameRule rule, string message)
    {
        var error = Assert.Throws<InvalidUserNameException>(() => UserName.Parse(name));
        Assert.Equal(rule, error.Rule);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.False(UserName.TryParse(name, out _, out var problem));
        Assert.Equal(rule, problem!.Rule);
    }

    [Fact]
    public void FullUserId_IsAtMost255Bytes()
    {
        const string server = "family.example"; // "@" + name + ":" + server
        var longest = new string('a', 255 - 2 - server.Length);
        Assert.Equal(255, UserName.Parse(longest).ToUserId(server).Length);

        var error = Assert.Throws<InvalidUserNameException>(() => UserName.Parse(longest + "a").ToUserId(server));
        Assert.Equal(UserNameRule.MaxLength, error.Rule);
        Assert.Contains("256 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("at most 255 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AName_TooLongForAnyServer_IsRefusedWithoutAServerName()
    {
        var error = Assert.Throws<InvalidUserNameException>(() => UserName.Parse(new string('a', 253)));
        Assert.Equal(UserNameRule.MaxLength, error.Rule);
    }

    [Fact]
    public void ToUserId_BuildsTheFullId() =>
        Assert.Equal("@alice:family.example:8448", UserName.Parse("alice").ToUserId("family.example:8448"));
}
