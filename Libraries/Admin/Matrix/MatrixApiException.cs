using System.Net;

namespace DendriteAspire.Admin.Matrix;

/// <summary>
/// Dendrite answered a request with a refusal. Keeps the Matrix <see cref="ErrorCode"/> (for example
/// <c>M_USER_IN_USE</c> or <c>M_FORBIDDEN</c>) and Dendrite's own <see cref="Reason"/>, so callers can show both.
/// </summary>
public sealed class MatrixApiException : Exception
{
    /// <summary>A refusal of <paramref name="operation"/>, with Dendrite's status, errcode and reason.</summary>
    public MatrixApiException(string operation, HttpStatusCode statusCode, string? errorCode, string reason)
        : this(operation, statusCode, errorCode, reason, $"{operation}: {reason} ({Describe(statusCode, errorCode)})")
    {
    }

    /// <summary>A refusal with a message in the family admin's words; the errcode and reason are kept.</summary>
    public MatrixApiException(string operation, HttpStatusCode statusCode, string? errorCode, string reason, string message)
        : base(message)
    {
        Operation = operation;
        StatusCode = statusCode;
        ErrorCode = errorCode;
        Reason = reason;
    }

    /// <summary>What was attempted, for example "create account alice".</summary>
    public string Operation { get; }

    /// <summary>The HTTP status Dendrite answered with.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The Matrix <c>errcode</c>; null when the answer was not a Matrix error (for example a plain 404).</summary>
    public string? ErrorCode { get; }

    /// <summary>Dendrite's <c>error</c> text, or the body when it was not a Matrix error.</summary>
    public string Reason { get; }

    /// <summary>The errcode, or <c>HTTP &lt;status&gt;</c> when there is none: what the CLI prints.</summary>
    public string ErrorCodeOrStatus => ErrorCode ?? $"HTTP {(int)StatusCode}";

    private static string Describe(HttpStatusCode statusCode, string? errorCode) =>
        errorCode is null ? $"HTTP {(int)statusCode}" : $"{errorCode}, HTTP {(int)statusCode}";
}
