namespace DendriteAspire.Admin.Matrix;

/// <summary>The Matrix <c>errcode</c> values this library reacts to (Dendrite v0.15.2 answers with these).</summary>
public static class MatrixErrorCodes
{
    /// <summary>The user id is taken (registration, <c>/register/available</c>).</summary>
    public const string UserInUse = "M_USER_IN_USE";

    /// <summary>Not allowed: a bad registration MAC, a wrong password, a non-admin calling an admin API.</summary>
    public const string Forbidden = "M_FORBIDDEN";

    /// <summary>The access token is unknown or expired; sign in again.</summary>
    public const string UnknownToken = "M_UNKNOWN_TOKEN";

    /// <summary>Too many requests; the answer carries <c>retry_after_ms</c>.</summary>
    public const string LimitExceeded = "M_LIMIT_EXCEEDED";

    /// <summary>Dendrite's catch-all, also used for "User does not exist".</summary>
    public const string Unknown = "M_UNKNOWN";
}
