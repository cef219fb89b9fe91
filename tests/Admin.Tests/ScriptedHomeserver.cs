using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DendriteAspire.Admin.Tests;

/// <summary>One request as the handler saw it.</summary>
public sealed record RecordedRequest(HttpMethod Method, string PathAndQuery, string? Body, string? BearerToken)
{
    public JsonNode Json => JsonNode.Parse(Body ?? "{}")!;
}

/// <summary>
/// Stands in for Dendrite at the <see cref="HttpClient"/> boundary only (disposing it is a no-op, so CLI runs may share it): each route answers with a status and a JSON
/// body shaped like Dendrite v0.15.2's (see its clientapi/routing); every request is recorded. Unrouted requests answer
/// 404 <c>M_UNRECOGNIZED</c>, as Dendrite's router does.
/// </summary>
public sealed class ScriptedHomeserver : HttpMessageHandler
{
    private readonly List<(HttpMethod Method, string Path, Func<RecordedRequest, (HttpStatusCode, object)> Answer)> _routes = [];

    public List<RecordedRequest> Requests { get; } = [];

    public Uri BaseAddress { get; } = new("http://homeserver.test:8008");

    public ScriptedHomeserver On(HttpMethod method, string pathPrefix, Func<RecordedRequest, (HttpStatusCode, object)> answer)
    {
        _routes.Insert(0, (method, pathPrefix, answer));
        return this;
    }

    public ScriptedHomeserver On(HttpMethod method, string pathPrefix, HttpStatusCode status, object body) =>
        On(method, pathPrefix, _ => (status, body));

    public HttpClient CreateClient() => new(this, disposeHandler: false) { BaseAddress = BaseAddress };

    public IEnumerable<RecordedRequest> To(string pathPrefix) =>
        Requests.Where(r => r.PathAndQuery.StartsWith(pathPrefix, StringComparison.Ordinal));

    public static object Error(string errcode, string error) => new { errcode, error };

    /// <summary>Answers like Dendrite's shared-secret registration, checking the MAC against <paramref name="sharedSecret"/>.</summary>
    public ScriptedHomeserver WithSharedSecretRegistration(string sharedSecret, string serverName, params string[] existingUsers)
    {
        var nonces = 0;
        On(HttpMethod.Get, "/_synapse/admin/v1/register", _ => (HttpStatusCode.OK, (object)new { nonce = $"nonce{++nonces}" }));
        On(HttpMethod.Post, "/_synapse/admin/v1/register", request =>
        {
            var body = request.Json;
            var user = (string)body["username"]!;
            var expected = Matrix.SharedSecretMac.Compute(sharedSecret, (string)body["nonce"]!, user, (string)body["password"]!, (bool)body["admin"]!);
            if ((string)body["mac"]! != expected)
            {
                return (HttpStatusCode.Forbidden, Error("M_FORBIDDEN", "bad mac"));
            }

            if (existingUsers.Contains(user))
            {
                return (HttpStatusCode.BadRequest, Error("M_USER_IN_USE", "Desired user ID is already taken."));
            }

            return (HttpStatusCode.OK, (object)new { user_id = $"@{user}:{serverName}", access_token = $"token-of-{user}", device_id = "shared_secret_registration" });
        });
        On(HttpMethod.Post, "/_matrix/client/v3/logout", HttpStatusCode.OK, new { });
        return this;
    }

    /// <summary>Password login for one user; any other password is 403 <c>M_FORBIDDEN</c>.</summary>
    public ScriptedHomeserver WithLogin(string userId, string password, Func<string>? token = null)
    {
        var logins = 0;
        On(HttpMethod.Post, "/_matrix/client/v3/login", request =>
        {
            var body = request.Json;
            var user = (string)body["identifier"]!["user"]!;
            return user == userId.TrimStart('@').Split(':')[0] && (string)body["password"]! == password
                ? (HttpStatusCode.OK, (object)new { user_id = userId, access_token = token?.Invoke() ?? $"admin-token-{++logins}", device_id = "DEVICE" })
                : (HttpStatusCode.Forbidden, Error("M_FORBIDDEN", "The username or password was incorrect or the account does not exist."));
        });
        return this;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var recorded = new RecordedRequest(request.Method, request.RequestUri!.PathAndQuery, body, request.Headers.Authorization?.Parameter);
        Requests.Add(recorded);
        foreach (var (method, path, answer) in _routes)
        {
            if (method == request.Method && recorded.PathAndQuery.StartsWith(path, StringComparison.Ordinal))
            {
                var (status, json) = answer(recorded);
                return Json(status, json);
            }
        }

        return Json(HttpStatusCode.NotFound, Error("M_UNRECOGNIZED", "Unrecognized request"));
    }

    private static HttpResponseMessage Json(HttpStatusCode status, object body) => new(status)
    {
        Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
    };
}
