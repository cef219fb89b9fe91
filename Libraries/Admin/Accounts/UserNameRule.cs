namespace DendriteAspire.Admin.Accounts;

/// <summary>The Matrix user-name rules a <see cref="UserName"/> is checked against, before any call to Dendrite.</summary>
public enum UserNameRule
{
    /// <summary>A user name cannot be empty.</summary>
    NotEmpty,

    /// <summary>The name only (<c>alice</c>), not the full user id (<c>@alice:server</c>).</summary>
    NameOnly,

    /// <summary>Lower case only: Matrix user ids are case-sensitive and Dendrite folds names to lower case.</summary>
    LowerCase,

    /// <summary>Only <c>a-z 0-9 . _ = - /</c>.</summary>
    AllowedCharacters,

    /// <summary>No leading <c>_</c>: Dendrite refuses it (reserved for bridges and services).</summary>
    NoLeadingUnderscore,

    /// <summary>The full id <c>@name:server</c> is at most 255 bytes.</summary>
    MaxLength,
}
