using System.Net;
using System.Text.Json;

namespace DendriteAspire.Integration.Tests;

/// <summary>A Matrix API answer: the status and the JSON body (a JSON string when the body was not JSON).</summary>
public sealed record MatrixResponse(HttpStatusCode Status, JsonElement Body)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    /// <summary>The Matrix <c>errcode</c>, when the body has one.</summary>
    public string? ErrorCode =>
        Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty("errcode", out var code) ? code.GetString() : null;

    /// <summary>Throws with the status and body unless the request succeeded.</summary>
    public MatrixResponse EnsureSuccess(string what) =>
        IsSuccess ? this : throw new HttpRequestException($"{what} failed: {(int)Status} {Body}", null, Status);

    /// <summary>A string property of a successful response body.</summary>
    public string GetString(string property) =>
        Body.GetProperty(property).GetString() ?? throw new InvalidOperationException($"{property} is null in {Body}");

    public static async Task<MatrixResponse> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        JsonElement body;
        try
        {
            using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(text) ? "{}" : text);
            body = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            body = JsonSerializer.SerializeToElement(text);
        }

        return new MatrixResponse(response.StatusCode, body);
    }
}

/// <summary>A logged-in (or freshly registered) Matrix user.</summary>
public sealed record MatrixSession(string UserId, string AccessToken);
