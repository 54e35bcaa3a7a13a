using P2PSync.Node.Api;
using P2PSync.Node.Cli;

namespace P2PSync.Node.Tests.Handoff;

/// <summary>The OPEN column of <c>p2psync peers</c>: what an online device has open.</summary>
public sealed class AwarenessPeersCommandTests
{
    [Fact]
    public void OnlinePeer_ListsItsOpenDocumentsByNameAndId()
    {
        var peer = new PeerView("DEV", "laptop", [], Connected: true, LastSeenMs: 1, Open: [new PeerActivityDocumentView("d1", "notes"), new PeerActivityDocumentView("d2", "")]);

        Assert.Equal("notes (d1), d2", PeersCommand.Open(peer));
    }

    [Fact]
    public void OfflinePeer_OrOneWithNothingOpen_ShowsADash()
    {
        Assert.Equal("-", PeersCommand.Open(new PeerView("DEV", null, [], Connected: false, LastSeenMs: null, Open: [new PeerActivityDocumentView("d1", "notes")])));
        Assert.Equal("-", PeersCommand.Open(new PeerView("DEV", null, [], Connected: true, LastSeenMs: null, Open: [])));
        Assert.Equal("-", PeersCommand.Open(new PeerView("DEV", null, [], Connected: true, LastSeenMs: null)));
    }
}
