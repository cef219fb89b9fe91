namespace DendriteAspire.Admin.Accounts;

/// <summary>
/// The operation would change the bootstrap admin or the family room owner (its password, its access), which the product's own tools sign in
/// with. An <see cref="InvalidOperationException"/>, so the CLI reports it as bad input (exit 2).
/// </summary>
public sealed class ProtectedAccountException(UserName userName, string message) : InvalidOperationException(message)
{
    /// <summary>The protected account.</summary>
    public UserName UserName { get; } = userName;
}
