using System.Net;
using System.Text;
using P2PSync.Node.Transport.WebRtc.Ice;
using P2PSync.Node.Transport.WebRtc.Stun;
using Xunit.Abstractions;

namespace P2PSync.Node.Tests.Transport.WebRtc.Ice;

public sealed class IceAgentHostileInputTests(ITestOutputHelper output)
{
    private static IPEndPoint Local => IPEndPoint.Parse("10.0.0.1:5000");
    private static IPEndPoint Peer => IPEndPoint.Parse("10.0.0.2:6000");
    private static IceCredentials PeerCredentials => new("peer", "PeerPassword0123456789");

    private static IceAgent NewAgent(IceRole role = IceRole.Controlling, ulong tieBreaker = 1000)
    {
        var agent = new IceAgent(new IceAgentOptions(), new IceCredentials("ours", "OurPassword0123456789ab"), role, tieBreaker, new Random(1));
        agent.AddLocalCandidate(new IceCandidate("1", 1, "udp", CandidatePriority.Compute(IceCandidateType.Host, 65535), "10.0.0.1", 5000, IceCandidateType.Host), Local);
        return agent;
    }

    private static StunMessage Check(string username = "ours:peer", ulong? controlling = null, ulong? controlled = 5, uint? priority = 1845501695, bool useCandidate = false) => new()
    {
        Method = StunMethod.Binding,
        Class = StunClass.Request,
        TransactionId = TransactionId.Create(new Random(7)),
        Username = username,
        IceControlling = controlling,
        IceControlled = controlled,
        Priority = priority,
        UseCandidate = useCandidate,
    };

    private static byte[] Sign(StunMessage message, string password = "OurPassword0123456789ab", bool fingerprint = true) =>
        StunWriter.Encode(message, Encoding.UTF8.GetBytes(password), fingerprint);

    private static StunMessage SingleAnswer(IceAgent agent)
    {
        Assert.True(agent.TryDequeueOutput(out IceOutgoingDatagram answer));
        Assert.Equal(Peer, answer.Remote);
        return StunReader.Read(answer.Data);
    }

    [Fact]
    public void ValidCheck_GetsSignedSuccess_WithTheSourceAsXorMappedAddress()
    {
        IceAgent agent = NewAgent();
        byte[] request = Sign(Check());

        Assert.Equal(IceInputResult.Stun, agent.HandleDatagram(request, Local, Peer, 0));

        Assert.True(agent.TryDequeueOutput(out IceOutgoingDatagram answer));
        StunMessage success = StunReader.Read(answer.Data);
        Assert.Equal(StunClass.SuccessResponse, success.Class);
        Assert.Equal(Peer, success.XorMappedAddress);
        Assert.True(StunIntegrity.VerifyIntegrity(answer.Data, success.MessageIntegrityOffset!.Value, "OurPassword0123456789ab"u8));
        Assert.True(success.HasFingerprint);
    }

    [Fact]
    public void CheckWithoutFingerprint_IsDroppedSilently()
    {
        IceAgent agent = NewAgent();

        agent.HandleDatagram(Sign(Check(), fingerprint: false), Local, Peer, 0);

        Assert.False(agent.TryDequeueOutput(out _));
        Assert.Equal(1, agent.Counters.MissingFingerprint);
    }

    [Theory]
    [InlineData("else:peer", 401)]
    [InlineData("ourspeer", 401)]
    public void WrongUfrag_IsAnswered401_Unsigned(string username, int code)
    {
        IceAgent agent = NewAgent();

        agent.HandleDatagram(Sign(Check(username)), Local, Peer, 0);

        StunMessage error = SingleAnswer(agent);
        Assert.Equal(code, error.ErrorCode!.Code);
        Assert.Null(error.MessageIntegrityOffset);
        Assert.Equal(1, agent.Counters.WrongUsername);
    }

    [Fact]
    public void BadIntegrity_IsAnswered401_AndNeverWithSuccess()
    {
        IceAgent agent = NewAgent();

        agent.HandleDatagram(Sign(Check(), password: "NotOurPassword0123456789"), Local, Peer, 0);

        Assert.Equal(401, SingleAnswer(agent).ErrorCode!.Code);
        Assert.Equal(1, agent.Counters.BadIntegrity);
        Assert.Empty(agent.Pairs);
        Assert.Equal(IceInputResult.Dropped, agent.HandleDatagram([22, 254, 253, 0], Local, Peer, 1));
    }

    [Fact]
    public void MissingPriority_Is400_AndMissingIntegrity_Is400()
    {
        IceAgent agent = NewAgent();

        agent.HandleDatagram(Sign(Check(priority: null)), Local, Peer, 0);
        Assert.Equal(400, SingleAnswer(agent).ErrorCode!.Code);

        agent.HandleDatagram(StunWriter.Encode(Check(), [], addFingerprint: true), Local, Peer, 0);
        Assert.Equal(400, SingleAnswer(agent).ErrorCode!.Code);
    }

    [Fact]
    public void UnknownComprehensionRequiredAttribute_Is420_ListingIt()
    {
        IceAgent agent = NewAgent();
        byte[] bare = StunWriter.Encode(Check(), [], addFingerprint: false);
        byte[] withUnknown = Stun.StunCodecTests.AppendRaw(bare, 0x7ABC, [1, 2, 3, 4]);
        byte[] request = Stun.StunCodecTests.AppendFingerprint(Stun.StunCodecTests.AppendIntegrity(withUnknown, "OurPassword0123456789ab"u8.ToArray()));

        agent.HandleDatagram(request, Local, Peer, 0);

        StunMessage error = SingleAnswer(agent);
        Assert.Equal(420, error.ErrorCode!.Code);
        Assert.Equal(new ushort[] { 0x7ABC }, error.UnknownAttributes);
    }

    [Theory]
    [InlineData(999ul, true)]
    [InlineData(1000ul, true)]
    [InlineData(1001ul, false)]
    public void ControllingMeetsControlling_LowerTieBreakerGets487(ulong theirs, bool expect487)
    {
        IceAgent agent = NewAgent(IceRole.Controlling, tieBreaker: 1000);

        agent.HandleDatagram(Sign(Check(controlling: theirs, controlled: null)), Local, Peer, 0);

        StunMessage answer = SingleAnswer(agent);
        if (expect487)
        {
            Assert.Equal(487, answer.ErrorCode!.Code);
            Assert.NotNull(answer.MessageIntegrityOffset);
            Assert.Equal(IceRole.Controlling, agent.Role);
        }
        else
        {
            Assert.Equal(StunClass.SuccessResponse, answer.Class);
            Assert.Equal(IceRole.Controlled, agent.Role);
        }
    }

    [Theory]
    [InlineData(999ul, false)]
    [InlineData(1000ul, false)]
    [InlineData(1001ul, true)]
    public void ControlledMeetsControlled_HigherTieBreakerTakesControl(ulong theirs, bool expect487)
    {
        IceAgent agent = NewAgent(IceRole.Controlled, tieBreaker: 1000);

        agent.HandleDatagram(Sign(Check(controlling: null, controlled: theirs)), Local, Peer, 0);

        StunMessage answer = SingleAnswer(agent);
        Assert.Equal(expect487 ? StunClass.ErrorResponse : StunClass.SuccessResponse, answer.Class);
        Assert.Equal(expect487 ? IceRole.Controlled : IceRole.Controlling, agent.Role);
    }

    [Fact]
    public void Responses_UnknownForgedAndAsymmetric_AreHandledAsTheRfcSays()
    {
        IceAgent agent = NewAgent();
        agent.SetRemoteCredentials(PeerCredentials);
        agent.AddRemoteCandidate(new IceCandidate("9", 1, "udp", 2113937151, "10.0.0.2", 6000, IceCandidateType.Host));
        agent.HandleTimeout(0);
        Assert.True(agent.TryDequeueOutput(out IceOutgoingDatagram sent));
        StunMessage check = StunReader.Read(sent.Data);
        Assert.Equal("peer:ours", check.Username);
        Assert.True(StunIntegrity.VerifyIntegrity(sent.Data, check.MessageIntegrityOffset!.Value, "PeerPassword0123456789"u8));

        StunMessage Success(TransactionId id) => new() { Method = StunMethod.Binding, Class = StunClass.SuccessResponse, TransactionId = id, XorMappedAddress = Local };

        agent.HandleDatagram(Sign(Success(TransactionId.Create(new Random(99))), "PeerPassword0123456789"), Local, Peer, 10);
        Assert.Equal(1, agent.Counters.UnknownTransaction);

        agent.HandleDatagram(Sign(Success(check.TransactionId), "ForgedPassword0123456789"), Local, Peer, 11);
        Assert.Equal(1, agent.Counters.BadIntegrity);
        Assert.Equal(CandidatePairState.InProgress, Assert.Single(agent.Pairs).State);

        agent.HandleDatagram(Sign(Success(check.TransactionId), "PeerPassword0123456789"), Local, Peer, 12);
        Assert.Equal(CandidatePairState.Succeeded, agent.Pairs[0].State);
        Assert.Equal(IceConnectionState.Connected, agent.State);
        Assert.Equal(IceInputResult.Application, agent.HandleDatagram([22, 254, 253, 0], Local, Peer, 13));
        Assert.Equal(IceInputResult.Dropped, agent.HandleDatagram([22, 254, 253, 0], Local, IPEndPoint.Parse("10.0.0.3:6000"), 13));
        Assert.Equal(1, agent.Counters.UnverifiedApplicationData);

        // A second pair whose answer comes back from the wrong address fails (symmetry, §7.2.5.2.1).
        agent.AddRemoteCandidate(new IceCandidate("8", 1, "udp", 2113937150, "10.0.0.4", 6000, IceCandidateType.Host));
        agent.HandleTimeout(100);
        while (agent.TryDequeueOutput(out IceOutgoingDatagram next))
        {
            StunMessage second = StunReader.Read(next.Data);
            if (next.Remote.Equals(IPEndPoint.Parse("10.0.0.4:6000")))
            {
                agent.HandleDatagram(Sign(Success(second.TransactionId), "PeerPassword0123456789"), Local, IPEndPoint.Parse("10.0.0.5:6000"), 120);
            }
        }

        Assert.Equal(1, agent.Counters.AsymmetricResponses);
        Assert.Contains(agent.Pairs, p => p.State == CandidatePairState.Failed);
    }

    [Fact]
    public void ExtraCheckTimingOut_DoesNotUndoAnEarlierSuccess()
    {
        IceAgent agent = NewAgent(IceRole.Controlled);
        agent.SetRemoteCredentials(PeerCredentials);
        agent.AddRemoteCandidate(new IceCandidate("9", 1, "udp", 2113937151, "10.0.0.2", 6000, IceCandidateType.Host));
        agent.HandleTimeout(0);
        Assert.True(agent.TryDequeueOutput(out IceOutgoingDatagram first));

        // The peer's check on the same pair triggers a second check while the first is in flight.
        agent.HandleDatagram(Sign(Check(controlling: 5, controlled: null)), Local, Peer, 10);
        while (agent.TryDequeueOutput(out _))
        {
        }

        agent.HandleTimeout(50);
        while (agent.TryDequeueOutput(out _))
        {
        }

        var success = new StunMessage { Method = StunMethod.Binding, Class = StunClass.SuccessResponse, TransactionId = StunReader.Read(first.Data).TransactionId, XorMappedAddress = Local };
        agent.HandleDatagram(Sign(success, "PeerPassword0123456789"), Local, Peer, 60);
        Assert.Equal(CandidatePairState.Succeeded, agent.Pairs[0].State);

        // The second check is never answered and runs out of sends.
        while (agent.NextTimeoutMs is { } at && at < 12_000)
        {
            agent.HandleTimeout(at);
            while (agent.TryDequeueOutput(out _))
            {
            }
        }

        Assert.Equal(CandidatePairState.Succeeded, agent.Pairs[0].State);
        Assert.Equal(IceConnectionState.Connected, agent.State);
        Assert.True(agent.Counters.Retransmissions >= 5);
    }

    [Theory]
    [InlineData(31)]
    [InlineData(32)]
    public void RandomAndMutatedDatagrams_NeverThrow_AndNeverEarnASuccess(int seed)
    {
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        IceAgent agent = NewAgent();
        byte[] valid = Sign(Check());
        int successes = 0;

        for (int i = 0; i < 3000; i++)
        {
            byte[] datagram;
            if (i % 3 == 0)
            {
                datagram = new byte[random.Next(0, 200)];
                random.NextBytes(datagram);
            }
            else
            {
                datagram = (byte[])valid.Clone();
                int flips = 1 + random.Next(3);
                for (int f = 0; f < flips; f++)
                {
                    // Skip the length field and the MI/FINGERPRINT values so the message still parses
                    // often enough to reach the integrity check.
                    int at = random.Next(4, datagram.Length - 32);
                    datagram[at] ^= (byte)(1 + random.Next(255));
                }

                datagram = Stun.StunCodecTests.AppendFingerprint(datagram[..^8].Also(d => { d[2] = 0; d[3] = (byte)(d.Length - 20); }));
            }

            agent.HandleDatagram(datagram, Local, Peer, i);
            while (agent.TryDequeueOutput(out IceOutgoingDatagram answer))
            {
                if (StunReader.Read(answer.Data).Class == StunClass.SuccessResponse)
                {
                    successes++;
                }
            }
        }

        IceAgentCounters c = agent.Counters;
        output.WriteLine($"malformed {c.MalformedStun}, no fingerprint {c.MissingFingerprint}, bad MI {c.BadIntegrity}, wrong user {c.WrongUsername}, other {c.OtherProtocol}, errors sent {c.ErrorsSent}");
        Assert.Equal(0, successes);
        Assert.True(c.BadIntegrity > 100, "mutations never reached the integrity check");
        Assert.Empty(agent.Pairs);
    }
}
