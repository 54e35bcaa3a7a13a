using P2PSync.Protocol.YProtocols;
using static P2PSync.Node.Tests.Handoff.AwarenessHubTests;

namespace P2PSync.Node.Tests.Handoff;

/// <summary>Hubs relaying to each other: no loops, everyone converges, removals reach everyone.</summary>
public sealed class AwarenessRelayTests
{
    private const string Doc = "doc1";

    [Fact]
    public void Triangle_OneUpdateReachesEveryone_AndEachNodeForwardsItAtMostOnce()
    {
        var net = new AwarenessNetwork(3, seed: 11);
        net.Connect(0, 1);
        net.Connect(1, 2);
        net.Connect(0, 2);

        net.Hubs[0].OnLocalUpdate(Doc, new object(), Update((5, 1, "{\"n\":1}")));
        var delivered = net.Pump();

        // 0 tells 1 and 2; each of them forwards once to the other, where it dies (same clock).
        Assert.Equal(4, delivered);
        Assert.All(net.Hubs, hub => Assert.Equal(new AwarenessEntry(5, 1, "{\"n\":1}"), Assert.Single(hub.States(Doc))));
    }

    [Fact]
    public void Line_StatesTravelTwoHops_AndVanishWhenTheMiddleLosesTheOwner()
    {
        var net = new AwarenessNetwork(3, seed: 12);
        net.Connect(0, 1);
        net.Connect(1, 2);
        net.Hubs[0].OnLocalUpdate(Doc, new object(), Update((5, 1, "{}")));
        net.Pump();
        Assert.Single(net.Hubs[2].States(Doc));

        net.Disconnect(0, 1);
        net.Pump();

        Assert.Empty(net.Hubs[1].States(Doc));
        Assert.Empty(net.Hubs[2].States(Doc));
    }

    [Fact]
    public void Triangle_NodeLeaving_RemovesItsClientsEverywhereAtOnce()
    {
        var net = new AwarenessNetwork(3, seed: 13);
        net.Connect(0, 1);
        net.Connect(1, 2);
        net.Connect(0, 2);
        net.Hubs[0].OnLocalUpdate(Doc, new object(), Update((5, 1, "{}")));
        net.Pump();

        net.Disconnect(0, 1);
        net.Disconnect(0, 2);
        net.Pump();

        Assert.Empty(net.Hubs[1].States(Doc));
        Assert.Empty(net.Hubs[2].States(Doc));
    }

    [Fact]
    public void Triangle_OneLinkLost_TheStateStaysWhereADirectPathRemains()
    {
        var net = new AwarenessNetwork(3, seed: 14);
        net.Connect(0, 1);
        net.Connect(0, 2);
        net.Hubs[0].OnLocalUpdate(Doc, new object(), Update((5, 1, "{}")));
        net.Pump();
        net.Connect(1, 2);
        net.Pump();

        net.Disconnect(1, 2);
        net.Pump();

        Assert.All(net.Hubs, hub => Assert.Single(hub.States(Doc)));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void RandomTopologiesAndChurn_NeverLoop_AndConvergeAfterOneRenewal(int hubs)
    {
        for (var seed = 1; seed <= 60; seed++)
        {
            Churn(hubs, seed * 1000 + hubs);
        }
    }

    private static void Churn(int hubCount, int seed)
    {
        var net = new AwarenessNetwork(hubCount, seed);
        var random = new Random(seed);
        var docs = new[] { "d1", "d2" };
        // Local clients: (hub, client object, client id, doc, clock, live).
        var clients = new List<(int Hub, object Client, ulong Id, string Doc, ulong Clock, bool Live)>();
        ulong nextId = 1;
        for (var step = 0; step < 80; step++)
        {
            var a = random.Next(hubCount);
            var b = random.Next(hubCount);
            switch (random.Next(6))
            {
                case 0:
                    net.Connect(a, b);
                    break;
                case 1:
                    net.Disconnect(a, b);
                    break;
                case 2:
                    clients.Add((a, new object(), nextId, docs[random.Next(docs.Length)], 0, true));
                    var added = clients[^1];
                    net.Hubs[a].OnLocalUpdate(added.Doc, added.Client, Update((added.Id, 0, $"{{\"c\":{added.Id}}}")));
                    nextId++;
                    break;
                case 3 when clients.Any(c => c.Live):
                    var live = clients.Where(c => c.Live).ToList();
                    var pick = live[random.Next(live.Count)];
                    var index = clients.IndexOf(pick);
                    clients[index] = pick with { Clock = pick.Clock + 1 };
                    net.Hubs[pick.Hub].OnLocalUpdate(pick.Doc, pick.Client, Update((pick.Id, pick.Clock + 1, $"{{\"c\":{pick.Id},\"k\":{pick.Clock + 1}}}")));
                    break;
                case 4 when clients.Any(c => c.Live):
                    var leaving = clients.Where(c => c.Live).ToList()[random.Next(clients.Count(c => c.Live))];
                    clients[clients.IndexOf(leaving)] = leaving with { Live = false, Clock = leaving.Clock + 1 };
                    net.Hubs[leaving.Hub].OnLocalClosed(leaving.Doc, leaving.Client);
                    break;
                case 5:
                    net.Hubs[a].SetOwnState(docs[random.Next(docs.Length)], 1_000_000 + (ulong)a, $"{{\"device\":{a},\"s\":{step}}}");
                    break;
            }

            if (random.Next(3) == 0)
            {
                net.Pump();
            }
        }

        // Heal: a path through every hub, then one renewal round (clients renew every 15 s in Yjs).
        for (var i = 1; i < hubCount; i++)
        {
            net.Connect(i - 1, i);
        }

        net.Pump();
        foreach (var (hub, client, id, doc, clock, live) in clients.Where(c => c.Live).ToList())
        {
            clients[clients.FindIndex(c => c.Id == id)] = (hub, client, id, doc, clock + 1, live);
            net.Hubs[hub].OnLocalUpdate(doc, client, Update((id, clock + 1, $"{{\"c\":{id},\"k\":{clock + 1}}}")));
        }

        net.Time.Advance(Node.Handoff.AwarenessHub.RenewInterval);
        foreach (var hub in net.Hubs)
        {
            net.Enqueue(net.Hubs.IndexOf(hub), hub.Poll());
        }

        net.Pump();

        foreach (var doc in docs)
        {
            var expected = clients.Where(c => c.Live && c.Doc == doc).Select(c => c.Id).ToHashSet();
            for (var h = 0; h < hubCount; h++)
            {
                var seen = net.Hubs[h].States(doc).Where(s => s.ClientId < 1_000_000).Select(s => s.ClientId).ToHashSet();
                Assert.True(expected.SetEquals(seen), $"seed {seed}: hub {h} sees clients [{string.Join(',', seen.Order())}] in {doc}, expected [{string.Join(',', expected.Order())}]");
                Assert.True(
                    net.Hubs[0].States(doc).SequenceEqual(net.Hubs[h].States(doc)),
                    $"seed {seed}: hubs 0 and {h} disagree on {doc}");
            }
        }
    }
}
