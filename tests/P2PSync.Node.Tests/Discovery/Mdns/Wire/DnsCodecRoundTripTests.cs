using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using P2PSync.Node.Discovery.Mdns.Wire;

namespace P2PSync.Node.Tests.Discovery.Mdns.Wire;

/// <summary>Decode(Encode(m)) == m for seeded random messages, and for names of every shape.</summary>
public sealed class DnsCodecRoundTripTests
{
    private static readonly string[] LabelPieces = ["a", "Z", "9", "-", "_", " ", ".", "..", "é", "É", "日本語", "🙂", "\t", "=", "\\", "(2)"];

    [Fact]
    public void RandomMessagesRoundTrip()
    {
        for (var seed = 0; seed < 500; seed++)
        {
            var message = new RandomDnsMessages(seed).Message();
            var bytes = DnsCodec.Encode(message);
            DnsMessage decoded;
            try
            {
                decoded = DnsCodec.Decode(bytes);
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"seed {seed}: decoding our own encoding failed: {e}");
            }
            Assert.True(message.Equals(decoded), $"seed {seed}: round trip changed the message");
            // Case must survive byte for byte, although equality ignores ASCII case.
            var names = AllNames(message).Zip(AllNames(decoded));
            Assert.All(names, pair => Assert.Equal(pair.First.Labels, pair.Second.Labels));
            Assert.Equal(bytes, DnsCodec.Encode(decoded));
        }
    }

    [Fact]
    public void CompressionMakesRepeatedNamesSmaller()
    {
        var name = DnsName.Parse("p2psync-abcdefghij.local");
        var records = Enumerable.Range(0, 10)
            .Select(i => new DnsRecord(name, DnsRecordType.A, true, 120, new AddressData(new System.Net.IPAddress([10, 0, 0, (byte)i]))))
            .ToArray();
        var bytes = DnsCodec.Encode(DnsMessage.Response(records));
        // First record: 26-byte name + 10 + 4; each later one: 2-byte pointer + 10 + 4.
        Assert.Equal(12 + (26 + 14) + 9 * (2 + 14), bytes.Length);
    }

    [Fact]
    public void NamesWithUtf8SpacesAndDotsDecodeAsEncoded()
    {
        var label = Gen.Elements(LabelPieces).ArrayOf().Select(string.Concat).Where(ValidLabel);
        var labels = label.ArrayOf().Where(ls => ls.Sum(l => 1 + System.Text.Encoding.UTF8.GetByteCount(l)) + 1 <= DnsName.MaxWireBytes - 4); // room for the "x.y" label the PTR target adds
        Prop.ForAll(Arb.From(labels), ls =>
            {
                var name = DnsName.FromLabels(ls);
                var message = DnsMessage.Response([new DnsRecord(name, DnsRecordType.PTR, false, 10, new PtrData(name.Prepend("x.y")))]);
                var decoded = DnsCodec.Decode(DnsCodec.Encode(message)).Answers[0];
                return decoded.Name.Labels.SequenceEqual(ls, StringComparer.Ordinal)
                    && ((PtrData)decoded.Data).Target.Labels.SequenceEqual(["x.y", .. ls], StringComparer.Ordinal);
            })
            .Check(Config.QuickThrowOnFailure.WithMaxTest(300)
                .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(11, 0x9E3779B97F4A7C15UL), FSharpOption<int>.None))));
    }

    private static bool ValidLabel(string label)
    {
        var bytes = System.Text.Encoding.UTF8.GetByteCount(label);
        return bytes is > 0 and <= DnsName.MaxLabelBytes;
    }

    private static IEnumerable<DnsName> AllNames(DnsMessage message) =>
        message.Questions.Select(q => q.Name)
            .Concat(message.Answers.Concat(message.Authorities).Concat(message.Additionals).SelectMany(RecordNames));

    private static IEnumerable<DnsName> RecordNames(DnsRecord record)
    {
        yield return record.Name;
        switch (record.Data)
        {
            case PtrData ptr: yield return ptr.Target; break;
            case SrvData srv: yield return srv.Target; break;
            case NsecData nsec: yield return nsec.Next; break;
        }
    }
}
