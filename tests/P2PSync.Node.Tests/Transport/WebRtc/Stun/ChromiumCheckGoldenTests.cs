using System.Buffers.Binary;
using System.Net;
using System.Text;
using P2PSync.Node.Tests.Support;
using P2PSync.Node.Transport.WebRtc.Ice;
using P2PSync.Node.Transport.WebRtc.Stun;

namespace P2PSync.Node.Tests.Transport.WebRtc.Stun;

/// <summary>
/// The first ICE check Chromium 156 sent us, captured by the interop harness
/// (Resources/chromium-binding-request.txt says how): our reader, our MAC check, our writer's
/// attribute order and our agent's answer, all against the real browser's bytes.
/// </summary>
public sealed class ChromiumCheckGoldenTests
{
    private const string OurUfrag = "p2pharns";
    private const string OurPassword = "harnessPassword0123456789";

    private static byte[] Captured => File.ReadAllBytes(Path.Combine(
        RepoPaths.Root, "tests", "P2PSync.Node.Tests", "Transport", "WebRtc", "Resources", "chromium-binding-request.bin"));

    [Fact]
    public void CapturedCheck_ParsesAndVerifiesWithOurPassword()
    {
        byte[] bytes = Captured;

        StunMessage check = StunReader.Read(bytes);

        Assert.Equal(StunClass.Request, check.Class);
        Assert.Equal("p2pharns:vHxf", check.Username);
        Assert.Equal(0x987c4887f858a36eul, check.IceControlling);
        Assert.True(check.UseCandidate);
        Assert.Equal(1845501695u, check.Priority);
        Assert.Equal(1, check.IgnoredAttributeCount); // GOOG-NETWORK-INFO 0xC057
        Assert.True(check.HasFingerprint);
        Assert.True(StunIntegrity.VerifyIntegrity(bytes, check.MessageIntegrityOffset!.Value, Encoding.UTF8.GetBytes(OurPassword)));
    }

    [Fact]
    public void OurWriter_UsesChromiumsAttributeOrder()
    {
        byte[] captured = Captured;
        StunMessage check = StunReader.Read(captured);
        byte[] key = Encoding.UTF8.GetBytes(OurPassword);

        // Chromium's message without its GOOG-NETWORK-INFO (bytes 40..47), re-signed: that is what
        // our writer must produce for the same fields.
        byte[] withoutNetworkInfo = [.. captured[..40], .. captured[48..check.MessageIntegrityOffset!.Value]];
        BinaryPrimitives.WriteUInt16BigEndian(withoutNetworkInfo.AsSpan(2), (ushort)(withoutNetworkInfo.Length - 20));
        byte[] expected = StunCodecTests.AppendFingerprint(StunCodecTests.AppendIntegrity(withoutNetworkInfo, key));

        byte[] ours = StunWriter.Encode(
            new StunMessage
            {
                Method = StunMethod.Binding,
                Class = StunClass.Request,
                TransactionId = check.TransactionId,
                Username = check.Username,
                IceControlling = check.IceControlling,
                UseCandidate = true,
                Priority = check.Priority,
            },
            key,
            addFingerprint: true);

        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(ours));
    }

    [Fact]
    public void OurControlledAgent_AnswersIt_LearnsChromiumAsPeerReflexive_AndAwaitsItsOwnCheckToSelect()
    {
        var local = IPEndPoint.Parse("10.78.12.2:41674");
        var chromium = IPEndPoint.Parse("10.78.12.1:50000");
        var agent = new IceAgent(new IceAgentOptions(), new IceCredentials(OurUfrag, OurPassword), IceRole.Controlled, 5, new Random(3));
        agent.AddLocalCandidate(new IceCandidate("1", 1, "udp", CandidatePriority.Compute(IceCandidateType.Host, 65535), "10.78.12.2", 41674, IceCandidateType.Host), local);

        Assert.Equal(IceInputResult.Stun, agent.HandleDatagram(Captured, local, chromium, 0));

        Assert.True(agent.TryDequeueOutput(out IceOutgoingDatagram answer));
        StunMessage success = StunReader.Read(answer.Data);
        Assert.Equal(StunClass.SuccessResponse, success.Class);
        Assert.Equal(chromium, success.XorMappedAddress);
        Assert.True(StunIntegrity.VerifyIntegrity(answer.Data, success.MessageIntegrityOffset!.Value, Encoding.UTF8.GetBytes(OurPassword)));
        IceCandidate learned = Assert.Single(agent.RemoteCandidates);
        Assert.Equal(IceCandidateType.PeerReflexive, learned.Type);
        Assert.Equal(1845501695u, learned.Priority);
        CandidatePair pair = Assert.Single(agent.Pairs);
        Assert.True(pair.NominateOnSuccess);
        Assert.Null(agent.SelectedPair);
        Assert.True(agent.TryGetDataPath(out _, out IPEndPoint dtlsTo), "Chromium's DTLS may follow at once (notes §0.4)");
        Assert.Equal(chromium, dtlsTo);
    }
}
