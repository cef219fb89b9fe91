namespace DendriteAspire.Integration.Tests;

/// <summary>Case 4: a private room between an admin and a user, and a message each way through /sync.</summary>
[Trait("Category", "Live")]
[Collection(SqliteStackDefinition.Name)]
public class ConversationTests(SqliteAppFixture stack)
{
    [Fact]
    public async Task PrivateRoom_MessagesArriveThroughSync_WithTheSameBodyAndEventId() =>
        await AssertConversationAsync(await stack.GetAppAsync(), TestContext.Current.CancellationToken);

    internal static async Task AssertConversationAsync(DendriteApp app, CancellationToken ct)
    {
        var admin = await Conversation.RegisterAsync(app, "admin", admin: true, ct);
        var user = await Conversation.RegisterAsync(app, "user", admin: false, ct);
        var roomId = await Conversation.OpenPrivateRoomAsync(app.Matrix, admin, user, ct);

        await Conversation.SendAndReceiveAsync(app.Matrix, admin.Session, user.Session, roomId, $"hello {Guid.NewGuid():N}", ct);
        await Conversation.SendAndReceiveAsync(app.Matrix, user.Session, admin.Session, roomId, $"hello back {Guid.NewGuid():N}", ct);
    }
}
