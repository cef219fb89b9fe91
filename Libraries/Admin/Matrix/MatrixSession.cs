namespace DendriteAspire.Admin.Matrix;

/// <summary>A signed-in (or freshly registered) Matrix user: the full user id and an access token.</summary>
/// <param name="UserId">The full id, <c>@name:server</c>.</param>
/// <param name="AccessToken">The bearer token; a secret, never logged.</param>
/// <param name="DeviceId">The device the token belongs to.</param>
public sealed record MatrixSession(string UserId, string AccessToken, string? DeviceId)
{
    /// <summary>Keeps the access token out of logs and exception messages.</summary>
    public override string ToString() => $"{UserId} (device {DeviceId})";
}
