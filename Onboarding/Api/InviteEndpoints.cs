using DendriteAspire.Onboarding.Homeserver;
using DendriteAspire.Onboarding.Invites;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace DendriteAspire.Onboarding.Api;

/// <summary>
/// <c>POST /api/invites</c> for scripts and the dashboard command: a Matrix admin's access token as the bearer,
/// the invite as JSON; answers 201 with the link.
/// </summary>
public static class InviteEndpoints
{
    /// <summary>The path of the invite API.</summary>
    public const string Path = InviteRequest.Path;

    /// <summary>Maps the invite API.</summary>
    public static IEndpointRouteBuilder MapInviteApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Path, CreateAsync)
            .RequireRateLimiting(RateLimits.Invites)
            .DisableAntiforgery()
            .Produces<CreatedInvite>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return endpoints;
    }

    private static async Task<IResult> CreateAsync(
        HttpRequest request,
        InviteRequest? body,
        IFamilyHomeserver homeserver,
        InviteIssuer issuer,
        IOptions<OnboardingOptions> options,
        CancellationToken cancellationToken)
    {
        var header = request.Headers[HeaderNames.Authorization].ToString();
        const string Bearer = "Bearer ";
        if (!header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase) || header.Length <= Bearer.Length)
        {
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "A Matrix admin's access token is required",
                detail: "Send 'Authorization: Bearer <access token>' of an admin account of this homeserver.");
        }

        var token = header[Bearer.Length..].Trim();
        var userId = await homeserver.WhoAmIAsync(token, cancellationToken);
        if (userId is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "The homeserver does not know this access token");
        }

        if (!await homeserver.IsAdminAsync(new MatrixSession(userId, token), cancellationToken))
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Only homeserver admins create invites",
                detail: $"{userId} is not an admin of this homeserver.");
        }

        if (body is null || string.IsNullOrWhiteSpace(body.UserName))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "userName is required",
                detail: "Send JSON such as {\"userName\": \"grandma\", \"displayName\": \"Grandma\", \"expiresInHours\": 168}.");
        }

        var issued = await issuer.CreateAsync(body.UserName, body.DisplayName, body.ExpiresInHours, userId, cancellationToken);
        if (issued.Problem is { } problem)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The invite cannot be made", detail: problem);
        }

        var invite = issued.Invite!;
        return Results.Created((string?)null, new CreatedInvite(issued.Url!.ToString(), options.Value.UserId(invite.UserName), invite.ExpiresAt));
    }
}
