using System.Net;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using DendriteAspire.Hosting;
using Pages = DendriteAspire.Onboarding.Tests.Pages;

namespace DendriteAspire.Integration.Tests;

/// <summary>
/// Point 5 of issue 18 on the real Dendrite: the family room belongs to the <c>family-rooms</c> service account, and
/// the onboarding service, which never holds the bootstrap admin's password, puts a relative in it through that
/// account. First on a fresh server (the owner creates the room); then, on the same volumes, on a room the bootstrap
/// admin made the old way, which the AppHost's bootstrap step hands over (power level 100 and an invite) at start.
/// </summary>
[Trait("Category", "Live")]
public class FamilyRoomOwnerLiveTests
{
    private const string Owner = "@family-rooms:localhost";
    private static readonly TimeSpan ServiceStart = TimeSpan.FromMinutes(3);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_join_lands_in_the_family_room_through_its_owner_on_a_fresh_server_and_in_a_room_the_bootstrap_admin_made_the_old_way()
    {
        var runtime = await LiveEnvironment.RequireAsync(withPostgres: false);
        var prefix = VolumePrefix.New("room-owner");
        try
        {
            await using (var fresh = await DendriteApp.StartAsync(runtime, prefix, [], Ct))
            {
                await AssertOnboardingHoldsNoAdminPasswordAsync(fresh);
                var roomId = await JoinThroughALinkAsync(fresh, "niece", "#family:localhost");

                // The owner made the room: it is the creator, at 100, and no server admin; the bootstrap admin is not in it.
                var relative = await fresh.Matrix.LoginOrThrowAsync(Localpart("niece"), Password, Ct);
                var create = await StateAsync(fresh, relative, roomId, "m.room.create", "");
                Assert.Equal(Owner, create["creator"]?.GetValue<string>() ?? create["sender"]?.GetValue<string>());
                Assert.Equal(100, (await StateAsync(fresh, relative, roomId, "m.room.power_levels", ""))["users"]![Owner]!.GetValue<int>());
                var members = (await fresh.Matrix.GetAsync($"/_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/joined_members", relative.AccessToken, Ct)).EnsureSuccess("joined_members").Body;
                Assert.False(members.GetProperty("joined").TryGetProperty("@admin:localhost", out _));
                var ownerPassword = await fresh.GetParameterValueAsync("onboarding-room-owner-password", Ct);
                var owner = await fresh.Matrix.LoginOrThrowAsync("family-rooms", ownerPassword, Ct);
                await Conversation.AssertAdminAsync(fresh.Matrix, owner, expectedAdmin: false, Ct);

                // The old way: the bootstrap admin makes "Old Family" itself, as onboarding did before the owner existed.
                var adminPassword = await fresh.GetParameterValueAsync("dendrite-admin-password", Ct);
                var admin = await fresh.Matrix.LoginOrThrowAsync("admin", adminPassword, Ct);
                var created = await fresh.Matrix.SendAsync(HttpMethod.Post, "/_matrix/client/v3/createRoom", new JsonObject
                {
                    ["name"] = "Old Family",
                    ["room_alias_name"] = "old-family",
                    ["preset"] = "private_chat",
                    ["visibility"] = "private",
                }, admin.AccessToken, Ct);
                created.EnsureSuccess("createRoom as the bootstrap admin");
            }

            // The next start hands the admin's room over; a join lands in it through the owner.
            await using var handedOver = await DendriteApp.StartAsync(runtime, prefix, ["--Dendrite:Family:RoomName=Old Family"], Ct);
            await AssertOnboardingHoldsNoAdminPasswordAsync(handedOver);
            var oldRoom = await JoinThroughALinkAsync(handedOver, "nephew", "#old-family:localhost");
            var nephew = await handedOver.Matrix.LoginOrThrowAsync(Localpart("nephew"), Password, Ct);
            Assert.Equal(100, (await StateAsync(handedOver, nephew, oldRoom, "m.room.power_levels", ""))["users"]![Owner]!.GetValue<int>());
            Assert.Equal("join", (await StateAsync(handedOver, nephew, oldRoom, "m.room.member", Owner))["membership"]!.GetValue<string>());
        }
        finally
        {
            await VolumePrefix.RemoveVolumesAsync(runtime, prefix, withPostgres: false);
            var data = OnboardingBuilderExtensions.LocalDataDirectory(prefix);
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }

    private const string Password = "a relative's long password";
    private static readonly string Suffix = Guid.NewGuid().ToString("N")[..6];

    private static string Localpart(string who) => who + Suffix;

    /// <summary>The onboarding process's environment names the room owner's password and never the admin's.</summary>
    private static async Task AssertOnboardingHoldsNoAdminPasswordAsync(DendriteApp app)
    {
        var onboarding = app.Model.Resources.OfType<ProjectResource>().Single(r => r.Name == "onboarding");
        var adminPassword = await app.GetParameterValueAsync("dendrite-admin-password", Ct);
#pragma warning disable CS0618 // The one-call way to read what the process is given; its replacement needs Aspire internals.
        var environment = await onboarding.GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Run);
#pragma warning restore CS0618
        Assert.DoesNotContain(environment, e => e.Value.Contains(adminPassword, StringComparison.Ordinal));
        Assert.Equal(await app.GetParameterValueAsync("onboarding-room-owner-password", Ct), environment["Onboarding__RoomOwnerPassword"]);
    }

    /// <summary>An invite link from the running service, used through its form; returns the room the relative is in.</summary>
    private static async Task<string> JoinThroughALinkAsync(DendriteApp app, string who, string alias)
    {
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            timeout.CancelAfter(ServiceStart);
            await app.App.ResourceNotifications.WaitForResourceHealthyAsync("onboarding", timeout.Token);
        }

        var dendrite = app.Model.Resources.OfType<DendriteResource>().Single();
        var project = app.Model.Resources.OfType<ProjectResource>().Single(r => r.Name == "onboarding");
        var connection = dendrite.Annotations.OfType<DendriteAccountsAnnotation>().Single().Connection;
        var link = await InviteLinkCommand.CreateAsync(project, connection, Localpart(who), who, 24, Ct);
        using var browser = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer() })
        {
            BaseAddress = new Uri(project.GetEndpoint("http").Url),
        };
        var path = new Uri(link.Url).PathAndQuery;
        var (_, form) = await Pages.GetAsync(browser, path);
        var (status, welcome) = await Pages.PostFormAsync(browser, path, form, ("password", Password), ("confirm", Password));
        Assert.True(status == HttpStatusCode.OK, $"join: {(int)status} {welcome}");
        Assert.Equal("Welcome to the family chat", Pages.Heading(welcome));

        var relative = await app.Matrix.LoginOrThrowAsync(Localpart(who), Password, Ct);
        var roomId = (await app.Matrix.GetAsync($"/_matrix/client/v3/directory/room/{Uri.EscapeDataString(alias)}", relative.AccessToken, Ct)).EnsureSuccess("alias").GetString("room_id");
        var joined = (await app.Matrix.GetAsync("/_matrix/client/v3/joined_rooms", relative.AccessToken, Ct)).EnsureSuccess("joined_rooms").Body;
        Assert.Contains(roomId, joined.GetProperty("joined_rooms").EnumerateArray().Select(r => r.GetString()));
        return roomId;
    }

    private static async Task<JsonObject> StateAsync(DendriteApp app, MatrixSession session, string roomId, string type, string key)
    {
        var path = $"/_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/state/{type}" + (key.Length == 0 ? "" : "/" + Uri.EscapeDataString(key));
        var response = (await app.Matrix.GetAsync(path, session.AccessToken, Ct)).EnsureSuccess($"GET {path}");
        return JsonNode.Parse(response.Body.GetRawText())!.AsObject();
    }
}
