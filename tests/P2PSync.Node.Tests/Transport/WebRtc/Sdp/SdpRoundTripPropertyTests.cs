using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using P2PSync.Node.Transport.WebRtc.Dtls;
using P2PSync.Node.Transport.WebRtc.Ice;
using P2PSync.Node.Transport.WebRtc.Sdp;

namespace P2PSync.Node.Tests.Transport.WebRtc.Sdp;

/// <summary>Property: whatever description we can write, the parser reads back field for field.</summary>
public sealed class SdpRoundTripPropertyTests
{
    private const string IceChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/";

    [Fact]
    public void Written_descriptions_parse_back_to_the_same_values()
    {
        Prop.ForAll(Arb.From(Descriptions()), description =>
            {
                var text = SdpWriter.Write(description);
                var parsed = SdpParser.Parse(text);
                return Same(description, parsed) && SdpWriter.Write(parsed) == text;
            })
            .Check(Config.QuickThrowOnFailure.WithMaxTest(300)
                .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(8841, 0x9E3779B97F4A7C15UL), FSharpOption<int>.None))));
    }

    private static bool Same(SessionDescription expected, SessionDescription actual) =>
        expected.Origin == actual.Origin
        && expected.SessionName == actual.SessionName
        && expected.IceLite == actual.IceLite
        && expected.BundleGroups.Count == actual.BundleGroups.Count
        && expected.BundleGroups.Zip(actual.BundleGroups).All(p => p.First.SequenceEqual(p.Second))
        && expected.MediaSections.Count == actual.MediaSections.Count
        && expected.MediaSections.Zip(actual.MediaSections).All(p => SameSection(p.First, p.Second));

    private static bool SameSection(SdpMediaSection expected, SdpMediaSection actual) =>
        expected.Media == actual.Media
        && expected.Port == actual.Port
        && expected.Protocol == actual.Protocol
        && expected.Formats.SequenceEqual(actual.Formats)
        && expected.Connection == actual.Connection
        && expected.Mid == actual.Mid
        && expected.IceUfrag == actual.IceUfrag
        && expected.IcePwd == actual.IcePwd
        && expected.IceOptions.SequenceEqual(actual.IceOptions)
        && expected.Fingerprints.SequenceEqual(actual.Fingerprints)
        && expected.Setup == actual.Setup
        && expected.SctpPort == actual.SctpPort
        && expected.MaxMessageSize == actual.MaxMessageSize
        && expected.Candidates.SequenceEqual(actual.Candidates)
        && expected.EndOfCandidates == actual.EndOfCandidates;

    private static Gen<string> IceString(int min, int max) =>
        from length in Gen.Choose(min, max)
        from chars in Gen.Elements(IceChars.ToCharArray()).ArrayOf(length)
        select new string(chars);

    private static Gen<DtlsFingerprint> Fingerprints() =>
        from hash in Gen.Elements(("sha-256", 32), ("sha-1", 20), ("sha-512", 64), ("md5", 16), ("x-private", 7))
        from bytes in Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf(hash.Item2)
        select DtlsFingerprint.Create(hash.Item1, bytes);

    private static Gen<IceCandidate> Candidates() =>
        from foundation in IceString(1, 32)
        // Priorities start at 1 (RFC 8445 §5.1.2); the candidate codec refuses 0.
        from priority in Gen.Choose(int.MinValue, int.MaxValue).Select(p => Math.Max(1u, unchecked((uint)p)))
        from address in Gen.Elements("10.0.0.1", "2001:db8::1", "fe80::1%eth0", "0c3e2b1a-1111-4222-8333-944455556666.local")
        from port in Gen.Choose(1, 65535)
        from type in Gen.Elements(Enum.GetValues<IceCandidateType>())
        from related in Gen.Elements<(string?, int?)>((null, null), ("0.0.0.0", 0), ("192.0.2.1", 4000))
        from extensions in Gen.Elements<KeyValuePair<string, string>[]>([], [new("generation", "0")], [new("generation", "0"), new("network-cost", "999")], [new("ufrag", "a/b+c")])
        select new IceCandidate(foundation, 1, "udp", priority, address, port, type, related.Item1, related.Item2) { Extensions = extensions };

    private static Gen<SdpMediaSection> DataSections(string mid) =>
        from legacy in Gen.Elements(false, false, true)
        from sctpPort in Gen.Choose(1, 65535)
        from ufrag in IceString(4, 40)
        from pwd in IceString(22, 60)
        from trickle in Gen.Elements(false, true)
        from fingerprints in Fingerprints().NonEmptyListOf()
        from setup in Gen.Elements<SdpSetupRole?>(null, SdpSetupRole.ActPass, SdpSetupRole.Active, SdpSetupRole.Passive, SdpSetupRole.HoldConn)
        from maxSize in Gen.Elements<ulong?>(null, 0, 65536, 262144, ulong.MaxValue)
        from candidates in Candidates().ListOf()
        from end in Gen.Elements(false, true)
        from withMid in Gen.Elements(true, true, false)
        select new SdpMediaSection
        {
            Media = "application",
            Port = 9,
            Protocol = legacy ? SdpMediaSection.LegacyDtlsSctp : SdpMediaSection.UdpDtlsSctp,
            Formats = [legacy ? sctpPort.ToString(System.Globalization.CultureInfo.InvariantCulture) : SdpMediaSection.DataChannelFormat],
            Connection = "IN IP4 0.0.0.0",
            Mid = withMid ? mid : null,
            IceUfrag = ufrag,
            IcePwd = pwd,
            IceOptions = trickle ? ["trickle"] : [],
            Fingerprints = [.. fingerprints],
            Setup = setup,
            SctpPort = sctpPort,
            MaxMessageSize = maxSize,
            Candidates = [.. candidates.Take(SdpParser.MaxCandidates)],
            EndOfCandidates = end,
        };

    private static Gen<SdpMediaSection> RejectedSections() =>
        from media in Gen.Elements(("audio", "UDP/TLS/RTP/SAVPF", new[] { "111", "63" }), ("video", "UDP/TLS/RTP/SAVPF", new[] { "96" }), ("application", SdpMediaSection.UdpDtlsSctp, new[] { SdpMediaSection.DataChannelFormat }))
        select new SdpMediaSection { Media = media.Item1, Port = 0, Protocol = media.Item2, Formats = media.Item3, Connection = "IN IP6 ::" };

    private static Gen<SessionDescription> Descriptions() =>
        from sessionId in Gen.Choose(0, int.MaxValue).Select(i => (ulong)i * 4294967311UL)
        from version in Gen.Choose(0, 1000)
        from lite in Gen.Elements(false, true)
        from rejectedBefore in Gen.Choose(0, 2)
        from data in DataSections("data")
        from rejectedAfter in Gen.Choose(0, 1)
        from before in RejectedSections().ArrayOf(rejectedBefore)
        from after in RejectedSections().ArrayOf(rejectedAfter)
        let sections = before.Select((s, i) => s with { Mid = $"r{i}" })
            .Append(data)
            .Concat(after.Select((s, i) => s with { Mid = $"s{i}" }))
            .ToList()
        select new SessionDescription
        {
            Origin = new SdpOrigin("-", sessionId, (ulong)version, "IP4", "127.0.0.1"),
            IceLite = lite,
            BundleGroups = data.Mid is { } mid ? [[mid]] : [],
            MediaSections = sections,
        };
}
