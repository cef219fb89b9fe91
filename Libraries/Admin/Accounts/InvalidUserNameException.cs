namespace DendriteAspire.Admin.Accounts;

/// <summary>A user name broke one of the Matrix user-name rules; the message names the rule and the fix.</summary>
public sealed class InvalidUserNameException : ArgumentException
{
    /// <summary>The name <paramref name="value"/> broke <paramref name="rule"/>.</summary>
    public InvalidUserNameException(string value, UserNameRule rule, string message)
        : base(message)
    {
        Value = value;
        Rule = rule;
    }

    /// <summary>The rejected input.</summary>
    public string Value { get; }

    /// <summary>The rule it broke.</summary>
    public UserNameRule Rule { get; }
}
