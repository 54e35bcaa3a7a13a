using Microsoft.Extensions.DependencyInjection;
using System.Net.WebSockets;
using Google.Protobuf;
using P2PSync.Protocol.Relay;
using P2PSync.Relay.Mailbox;

namespace P2PSync.Relay.Tests.Mailbox;

public sealed class MailboxAuthTests
{
    [Fact]
    public async Task ChallengeCarriesAFreshNonceAndTheRelayId()
    {
        await using var relay = new MailboxRelayFactory(("Relay:RelayId", "relay-under-test"));
        await using var first = await relay.ConnectAsync();
        await using var second = await relay.ConnectAsync();

        var a = await first.ReadChallengeAsync();
        var b = await second.ReadChallengeAsync();

        Assert.Equal(32, a.Nonce.Length);
        Assert.Equal("relay-under-test", a.RelayId);
        Assert.NotEqual(a.Nonce, b.Nonce);
    }

    [Fact]
    public async Task SignedChallengeAuthenticatesAndUnlocksRequests()
    {
        await using var relay = new MailboxRelayFactory();
        await using var client = await relay.ConnectAuthenticatedAsync();

        var cursor = await client.PostAsync(TestBytes.Topic(1), TestBytes.Random(2, 100));

        Assert.True(cursor > 0);
    }

    [Fact]
    public async Task RequestBeforeAuthIsRefusedAndClosed()
    {
        await using var relay = new MailboxRelayFactory();
        await using var client = await relay.ConnectAsync();
        await client.ReadChallengeAsync();

        await client.SendAsync(MailboxTestClient.PostFrame(TestBytes.Topic(1), [1, 2, 3]));

        await client.ExpectErrorAndCloseAsync(MailboxErrorCodes.Unauthenticated, WebSocketCloseStatus.PolicyViolation);
        Assert.Equal(0, await CountEnvelopesAsync(relay));
    }

    [Fact]
    public async Task WrongSignatureIsRefusedAndClosed()
    {
        await using var relay = new MailboxRelayFactory();
        await using var client = await relay.ConnectAsync();
        var challenge = await client.ReadChallengeAsync();
        var auth = client.SignAuth(DeviceKey.Create(), challenge);
        var signature = auth.Signature.ToByteArray();
        signature[10] ^= 0x01;
        auth.Signature = ByteString.CopyFrom(signature);

        await client.SendAsync(new MailboxFrame { Auth = auth });

        await client.ExpectErrorAndCloseAsync(MailboxErrorCodes.BadSignature, WebSocketCloseStatus.PolicyViolation);
    }

    [Fact]
    public async Task SignatureByAnotherKeyIsRefused()
    {
        await using var relay = new MailboxRelayFactory();
        await using var client = await relay.ConnectAsync();
        var challenge = await client.ReadChallengeAsync();
        var auth = client.SignAuth(DeviceKey.Create(), challenge);
        auth.DeviceKey = ByteString.CopyFrom(DeviceKey.Create().PublicKey);

        await client.SendAsync(new MailboxFrame { Auth = auth });

        await client.ExpectErrorAndCloseAsync(MailboxErrorCodes.BadSignature, WebSocketCloseStatus.PolicyViolation);
    }

    [Fact]
    public async Task SignatureForAnotherRelayIdIsRefused()
    {
        await using var relay = new MailboxRelayFactory(("Relay:RelayId", "relay-one"));
        await using var client = await relay.ConnectAsync();
        var challenge = await client.ReadChallengeAsync();
        var elsewhere = new Challenge { Nonce = challenge.Nonce, RelayId = "relay-two" };

        await client.SendAsync(new MailboxFrame { Auth = client.SignAuth(DeviceKey.Create(), elsewhere) });

        await client.ExpectErrorAndCloseAsync(MailboxErrorCodes.BadSignature, WebSocketCloseStatus.PolicyViolation);
    }

    [Theory]
    [InlineData(0, 64)]
    [InlineData(31, 64)]
    [InlineData(33, 64)]
    [InlineData(32, 0)]
    [InlineData(32, 63)]
    [InlineData(32, 65)]
    public async Task KeyOrSignatureOfTheWrongLengthIsRefused(int keyLength, int signatureLength)
    {
        await using var relay = new MailboxRelayFactory();
        await using var client = await relay.ConnectAsync();
        await client.ReadChallengeAsync();

        await client.SendAsync(new MailboxFrame
        {
            Auth = new Auth { DeviceKey = ByteString.CopyFrom(new byte[keyLength]), Signature = ByteString.CopyFrom(new byte[signatureLength]) },
        });

        await client.ExpectErrorAndCloseAsync(MailboxErrorCodes.BadSignature, WebSocketCloseStatus.PolicyViolation);
    }

    [Fact]
    public async Task ReplayedAuthFromAnEarlierConnectionIsRefused()
    {
        await using var relay = new MailboxRelayFactory();
        var key = DeviceKey.Create();
        await using var original = await relay.ConnectAsync();
        var auth = original.SignAuth(key, await original.ReadChallengeAsync());
        await original.SendAsync(new MailboxFrame { Auth = auth });
        Assert.Equal(MailboxFrame.BodyOneofCase.Authenticated, (await original.ReceiveAsync()).BodyCase);

        // An eavesdropper replays the captured Auth on a new connection: its nonce is different.
        await using var replay = await relay.ConnectAsync();
        await replay.ReadChallengeAsync();
        await replay.SendAsync(new MailboxFrame { Auth = auth });

        await replay.ExpectErrorAndCloseAsync(MailboxErrorCodes.BadSignature, WebSocketCloseStatus.PolicyViolation);
    }

    [Fact]
    public async Task SecondAuthOnTheSameConnectionIsRefused()
    {
        await using var relay = new MailboxRelayFactory();
        var key = DeviceKey.Create();
        await using var client = await relay.ConnectAsync();
        var auth = client.SignAuth(key, await client.ReadChallengeAsync());
        await client.SendAsync(new MailboxFrame { Auth = auth });
        Assert.Equal(MailboxFrame.BodyOneofCase.Authenticated, (await client.ReceiveAsync()).BodyCase);

        await client.SendAsync(new MailboxFrame { Auth = auth });

        await client.ExpectErrorAndCloseAsync(MailboxErrorCodes.AlreadyAuthenticated, WebSocketCloseStatus.PolicyViolation);
    }

    [Fact]
    public async Task SilentClientIsClosedAfterTheAuthTimeout()
    {
        await using var relay = new MailboxRelayFactory(("Relay:AuthTimeoutSeconds", "1"));
        await using var client = await relay.ConnectAsync();
        await client.ReadChallengeAsync();

        await client.ExpectErrorAndCloseAsync(MailboxErrorCodes.AuthTimeout, WebSocketCloseStatus.PolicyViolation);
    }

    [Fact]
    public async Task AuthenticatedClientThatGoesQuietIsClosedAfterTheIdleTimeout()
    {
        await using var relay = new MailboxRelayFactory(("Relay:IdleTimeoutSeconds", "1"));
        await using var client = await relay.ConnectAuthenticatedAsync();

        var frames = await client.ReadUntilCloseAsync();

        Assert.Empty(frames);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
        Assert.Equal("idle timeout", client.CloseDescription);
    }

    [Fact]
    public void NonceLedgerAcceptsEachIssuedNonceOnce()
    {
        var ledger = new NonceLedger();
        var nonce = TestBytes.Random(7, 32);
        ledger.Issue(nonce);

        Assert.True(ledger.Consume(nonce));
        Assert.False(ledger.Consume(nonce));
        Assert.False(ledger.Consume(TestBytes.Random(8, 32)));
        Assert.Equal(0, ledger.Outstanding);
    }

    [Fact]
    public void SignatureVerifiesOnlyForTheSignedNonceAndRelay()
    {
        var key = DeviceKey.Create();
        var nonce = TestBytes.Random(9, 32);
        var signature = key.SignChallenge(nonce, "relay");

        Assert.True(RelayAuthSignature.Verify(key.PublicKey, signature, nonce, "relay"));
        Assert.False(RelayAuthSignature.Verify(key.PublicKey, signature, nonce, "relay2"));
        Assert.False(RelayAuthSignature.Verify(key.PublicKey, signature, TestBytes.Random(10, 32), "relay"));
        Assert.False(RelayAuthSignature.Verify(new byte[32], signature, nonce, "relay"));
    }

    private static async Task<long> CountEnvelopesAsync(MailboxRelayFactory relay)
    {
        await Task.Yield();
        return relay.Services.GetRequiredService<P2PSync.Relay.Storage.IMailboxStore>().CountEnvelopes();
    }
}
