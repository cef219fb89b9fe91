using System.Net;

namespace DendriteAspire.Onboarding.Tests;

/// <summary>
/// What the join page leaves behind and how it recovers: the relative's session is closed, nothing unsafe is sent
/// twice, and a join that stopped half-way is finished by submitting again instead of calling the link used.
/// </summary>
public sealed class JoinRecoveryTests : IDisposable
{
    private const string Password = "correct horse battery";
    private const string Grandma = "@grandma:family.example";
    private readonly OnboardingFactory _factory = new();

    // The room owner exists already (the AppHost's bootstrap step made it), so every registration counted below is the relative's.
    public JoinRecoveryTests() => _factory.Dendrite.AddAccount("family-rooms", OnboardingFactory.RoomOwnerPassword, admin: false);

    public void Dispose() => _factory.Dispose();

    private int Registrations => _factory.Dendrite.Requests.Count(r => r == "POST /_synapse/admin/v1/register");

    [Fact]
    public async Task Joining_leaves_no_session_of_the_relative_open_and_names_the_one_it_used_invite_link()
    {
        var link = await _factory.CreateLinkAsync("grandma", "Grandma");
        var client = _factory.CreateClient();
        var (_, form) = await Pages.GetAsync(client, link);

        var (status, html) = await Pages.PostFormAsync(client, link, form, ("password", Password), ("confirm", Password));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Welcome to the family chat", Pages.Heading(html));
        Assert.Empty(_factory.Dendrite.OpenSessions(Grandma));
        var logins = _factory.Dendrite.Calls.Where(c => c.Request == "POST /_matrix/client/v3/logout").Count();
        Assert.True(logins >= 2, "the registration session and the invite-link session are both signed out");
        Assert.Equal("join", _factory.Dendrite.Rooms[_factory.Dendrite.Aliases["#family:family.example"]].Members[Grandma]);

        // The room owner's sessions for creating the room and inviting are closed too: only the session the test made
        // for it is left.
        Assert.Equal(["test"], _factory.Dendrite.OpenSessions(OnboardingFactory.RoomOwner));
        Assert.Contains(_factory.Dendrite.Calls, c => c.Request == "POST /_matrix/client/v3/createRoom" && c.Caller == OnboardingFactory.RoomOwner);
    }

    [Fact]
    public async Task A_registration_whose_answer_was_lost_is_sent_once_and_submitting_again_finishes_the_join()
    {
        var link = await _factory.CreateLinkAsync("grandma");
        var client = _factory.CreateClient();
        var (_, form) = await Pages.GetAsync(client, link);
        _factory.Dendrite.RegistrationsLostAfterAccepting = 1;

        var (status, retry) = await Pages.PostFormAsync(client, link, form, ("password", Password), ("confirm", Password));

        Assert.Equal(1, Registrations);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Join the family chat", Pages.Heading(retry));
        Assert.Contains("Type the same password again", retry, StringComparison.Ordinal);

        var (again, welcome) = await Pages.PostFormAsync(client, link, retry, ("password", Password), ("confirm", Password));

        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal("Welcome to the family chat", Pages.Heading(welcome));
        Assert.Equal(1, Registrations);
        Assert.Equal("join", _factory.Dendrite.Rooms[_factory.Dendrite.Aliases["#family:family.example"]].Members[Grandma]);
        Assert.Empty(_factory.Dendrite.OpenSessions(Grandma));
    }

    [Fact]
    public async Task A_failed_room_join_after_registration_is_finished_by_submitting_again_not_reported_as_a_used_link()
    {
        var link = await _factory.CreateLinkAsync("grandma");
        var client = _factory.CreateClient();
        var (_, form) = await Pages.GetAsync(client, link);
        _factory.Dendrite.JoinsFailing = 1;

        var (status, retry) = await Pages.PostFormAsync(client, link, form, ("password", Password), ("confirm", Password));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("Your account @grandma:family.example exists, but joining the Family room failed", retry, StringComparison.Ordinal);
        Assert.Empty(_factory.Dendrite.OpenSessions(Grandma));

        var (again, welcome) = await Pages.PostFormAsync(client, link, retry, ("password", Password), ("confirm", Password));

        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal("Welcome to the family chat", Pages.Heading(welcome));
        Assert.Equal("join", _factory.Dendrite.Rooms[_factory.Dendrite.Aliases["#family:family.example"]].Members[Grandma]);
    }

    [Fact]
    public async Task Someone_else_with_the_link_but_not_the_password_of_the_existing_account_gets_used_and_finishes_nothing()
    {
        var link = await _factory.CreateLinkAsync("grandma");
        var client = _factory.CreateClient();
        var (_, form) = await Pages.GetAsync(client, link);
        _factory.Dendrite.RegistrationsLostAfterAccepting = 1;
        await Pages.PostFormAsync(client, link, form, ("password", Password), ("confirm", Password));

        var (status, html) = await Pages.PostFormAsync(client, link, form, ("password", "another password 1"), ("confirm", "another password 1"));

        Assert.Equal(HttpStatusCode.Gone, status);
        Assert.Equal("This link was used already", Pages.Heading(html));
        Assert.DoesNotContain(_factory.Dendrite.Rooms.Values, r => r.Members.ContainsKey(Grandma));
    }

    [Fact]
    public async Task A_safe_read_that_fails_on_the_way_is_retried_by_the_one_retrying_client_and_only_a_few_times()
    {
        var link = await _factory.CreateLinkAsync("grandma");
        _factory.Dendrite.AvailabilityChecksFailing = 2;
        var before = _factory.Dendrite.Requests.Count(r => r == "GET /_matrix/client/v3/register/available");

        var (status, _) = await Pages.GetAsync(_factory.CreateClient(), link);

        Assert.Equal(HttpStatusCode.OK, status);
        // Two failures, then the answer: three requests, not a retry loop inside a retry loop.
        Assert.Equal(3, _factory.Dendrite.Requests.Count(r => r == "GET /_matrix/client/v3/register/available") - before);
    }

    [Fact]
    public async Task A_loopback_homeserver_url_is_never_offered_for_typing_on_a_phone()
    {
        using var local = new OnboardingFactory(settings: new Dictionary<string, string> { ["Onboarding:HomeserverUrl"] = "http://localhost:8008" });
        var link = await local.CreateLinkAsync("grandma");
        var client = local.CreateClient();
        var (_, form) = await Pages.GetAsync(client, link);

        var (_, html) = await Pages.PostFormAsync(client, link, form, ("password", Password), ("confirm", Password));

        Assert.Equal("Welcome to the family chat", Pages.Heading(html));
        Assert.DoesNotContain("localhost:8008", html, StringComparison.Ordinal);
        Assert.Contains("Dendrite:WellKnown:ClientUrl", html, StringComparison.Ordinal);
        Assert.Contains("On a phone", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost:8008", true)]
    [InlineData("http://127.0.0.1:8008", true)]
    [InlineData("http://[::1]:8008", true)]
    [InlineData("http://family.localhost:8008", true)]
    [InlineData("https://matrix.family.example", false)]
    [InlineData("http://192.168.1.20:8008", false)]
    public void Loopback_urls_are_recognised(string url, bool loopback) =>
        Assert.Equal(loopback, OnboardingOptions.IsLoopback(new Uri(url)));

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    public void Limits_count_an_ipv4_address_alone_and_an_ipv6_address_by_its_64_block(string address, string partition) =>
        Assert.Equal(partition, RateLimits.PartitionKey(IPAddress.Parse(address)));
}
