using P2PSync.Node.Identity;
using P2PSync.Node.Transport.WebRtc.Rendezvous;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Tests.Transport.WebRtc.Rendezvous;

public sealed class RendezvousPolicyTests : IDisposable
{
    private static readonly RendezvousPeerState Fresh = new(MayConnect: true, Connected: false, ConnectedOverWebRtc: false, HasSession: false, HasThisSession: false);

    private readonly DeviceKey _one = RendezvousCodecTests.Key(1);
    private readonly DeviceKey _two = RendezvousCodecTests.Key(2);

    private DeviceKey Lower => RendezvousRoles.ShouldOffer(_one.Id, _two.Id) ? _one : _two;

    private DeviceKey Higher => ReferenceEquals(Lower, _one) ? _two : _one;

    [Fact]
    public void Hello_TheLowerOffers_TheHigherSaysHelloBackOnlyToABroadcast()
    {
        Assert.Equal(RendezvousStep.Offer, RendezvousPolicy.OnHello(Lower.Id, Hello(Higher, default), Fresh));
        Assert.Equal(RendezvousStep.Offer, RendezvousPolicy.OnHello(Lower.Id, Hello(Higher, Lower.Id), Fresh));
        Assert.Equal(RendezvousStep.HelloBack, RendezvousPolicy.OnHello(Higher.Id, Hello(Lower, default), Fresh));
        Assert.Equal(RendezvousStep.Ignore, RendezvousPolicy.OnHello(Higher.Id, Hello(Lower, Higher.Id), Fresh));
    }

    [Fact]
    public void Hello_IsIgnored_WhenConnectedTryingOrNotAllowed()
    {
        Assert.Equal(RendezvousStep.Ignore, RendezvousPolicy.OnHello(Lower.Id, Hello(Higher, default), Fresh with { Connected = true }));
        Assert.Equal(RendezvousStep.Ignore, RendezvousPolicy.OnHello(Lower.Id, Hello(Higher, default), Fresh with { Connected = true, ConnectedOverWebRtc = true }));
        Assert.Equal(RendezvousStep.Ignore, RendezvousPolicy.OnHello(Lower.Id, Hello(Higher, default), Fresh with { HasSession = true }));
        Assert.Equal(RendezvousStep.Ignore, RendezvousPolicy.OnHello(Higher.Id, Hello(Lower, default), Fresh with { MayConnect = false }));
    }

    [Fact]
    public void Offer_OnlyFromTheLower_AndNotOverALanConnection()
    {
        Assert.Equal(RendezvousStep.Answer, RendezvousPolicy.OnOffer(Higher.Id, Offer(Lower, Higher.Id), Fresh));
        Assert.Equal(RendezvousStep.RefuseGlare, RendezvousPolicy.OnOffer(Lower.Id, Offer(Higher, Lower.Id), Fresh));
        Assert.Equal(RendezvousStep.Ignore, RendezvousPolicy.OnOffer(Higher.Id, Offer(Lower, Higher.Id), Fresh with { Connected = true }));
        Assert.Equal(RendezvousStep.Ignore, RendezvousPolicy.OnOffer(Higher.Id, Offer(Lower, Higher.Id), Fresh with { MayConnect = false }));
        Assert.Equal(RendezvousStep.Ignore, RendezvousPolicy.OnOffer(Higher.Id, Offer(Lower, Higher.Id), Fresh with { HasSession = true, HasThisSession = true }));

        // A fresh offer replaces an unfinished session, or a WebRTC connection the peer already lost.
        Assert.Equal(RendezvousStep.Answer, RendezvousPolicy.OnOffer(Higher.Id, Offer(Lower, Higher.Id), Fresh with { HasSession = true }));
        Assert.Equal(RendezvousStep.Answer, RendezvousPolicy.OnOffer(Higher.Id, Offer(Lower, Higher.Id), Fresh with { Connected = true, ConnectedOverWebRtc = true }));
    }

    public void Dispose()
    {
        _one.Dispose();
        _two.Dispose();
    }

    private static RendezvousMessage Hello(DeviceKey from, DeviceId to) =>
        new(RendezvousMessageType.Hello, RendezvousCodecTests.Space, 1, from.Id, to, RendezvousCodecTests.Session, 0, "");

    private static RendezvousMessage Offer(DeviceKey from, DeviceId to) =>
        new(RendezvousMessageType.Offer, RendezvousCodecTests.Space, 1, from.Id, to, RendezvousCodecTests.Session, 0, "v=0");
}
