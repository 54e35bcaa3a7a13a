using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using P2PSync.Relay.Mailbox;
using P2PSync.Relay.Storage;

namespace P2PSync.Relay.Tests.Mailbox;

public sealed class MailboxStoreFailureTests
{
    [Fact]
    public async Task FailingStoreClosesThePosterWith1011AndOthersStillFetch()
    {
        await using var relay = new MailboxRelayFactory
        {
            Replace = services =>
            {
                services.RemoveAll<IMailboxStore>();
                services.AddSingleton<IMailboxStore>(provider => new FailingMailboxStore(provider.GetRequiredService<SqliteMailboxStore>()));
            },
        };
        await using var poster = await relay.ConnectAuthenticatedAsync();
        await using var reader = await relay.ConnectAuthenticatedAsync();

        await poster.SendAsync(MailboxTestClient.PostFrame(TestBytes.Topic(1), [1, 2, 3]));
        await poster.ExpectErrorAndCloseAsync(MailboxErrorCodes.Unavailable, WebSocketCloseStatus.InternalServerError);
        var batch = await reader.FetchAsync(TestBytes.Topic(1));

        Assert.Empty(batch.Items);
        Assert.Contains("DiskFullException 13", relay.Logs.AllText());
    }
}
