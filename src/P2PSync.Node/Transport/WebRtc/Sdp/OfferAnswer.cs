using P2PSync.Node.Transport.WebRtc.Dtls;

namespace P2PSync.Node.Transport.WebRtc.Sdp;

/// <summary>
/// Offer/answer for one data channel section (RFC 3264, RFC 8841, RFC 8842, notes §2.3 and §5.3),
/// as pure functions: descriptions and our parameters in, descriptions and settled values out.
/// Refusals are <see cref="WebRtcFormatException"/>s of layer SDP, like the parser's, because a
/// description we cannot use is bad input from the peer; that includes a data section without a
/// fingerprint we can verify (<see cref="RemoteIdentityCheck"/>).
/// </summary>
internal static class OfferAnswer
{
    /// <summary>The m= port browsers write when the real address is in the candidates (RFC 8840 §4.1.1).</summary>
    private const int PlaceholderPort = 9;

    /// <summary>Our offer: one data section, setup actpass (we learn our DTLS role from the answer).</summary>
    public static SessionDescription CreateOffer(LocalSessionParameters local)
    {
        local.Validate();
        return new SessionDescription
        {
            Origin = SdpOrigin.Ours(local.SessionId, local.SessionVersion),
            BundleGroups = [[local.Mid]],
            MediaSections = [OurDataSection(local, local.Mid, SdpSetupRole.ActPass, legacy: false)],
        };
    }

    /// <summary>
    /// Our answer to <paramref name="offer"/>: the first usable data section accepted with setup
    /// active (so we are the DTLS client, like Chromium and werift) unless the offer insists on
    /// active itself; every other section rejected with port 0, in the offer's order.
    /// </summary>
    /// <param name="current">The session settled earlier, for a re-offer; a changed ufrag or pwd (ICE restart) is refused.</param>
    public static AnswerResult Answer(SessionDescription offer, LocalSessionParameters local, NegotiatedSession? current = null)
    {
        local.Validate();
        var index = offer.DataSectionIndex;
        if (index < 0)
        {
            throw NoDataSection(offer);
        }

        var remote = offer.MediaSections[index];
        var fingerprints = RemoteIdentityCheck.VerifiableFingerprints(remote, "the offer");
        var ourSetup = SetupNegotiation.AnswerTo(remote.Setup);
        RefuseIceRestart(current, remote);

        var sections = offer.MediaSections
            .Select((section, i) => i == index ? OurDataSection(local, remote.Mid, ourSetup, remote.IsLegacySctp) : Rejected(section))
            .ToList();
        var bundled = remote.Mid is not null && offer.BundleGroups.Any(g => g.Contains(remote.Mid));
        var answer = new SessionDescription
        {
            Origin = SdpOrigin.Ours(local.SessionId, local.SessionVersion),
            BundleGroups = bundled ? [[remote.Mid!]] : [],
            MediaSections = sections,
        };
        var role = SetupNegotiation.RoleOfAnswerer(ourSetup);
        return new AnswerResult(answer, Settle(remote, fingerprints, offer.IceLite, index, role, sections[index]));
    }

    /// <summary>What the peer's <paramref name="answer"/> to <paramref name="ourOffer"/> settles.</summary>
    public static NegotiatedSession AcceptAnswer(SessionDescription ourOffer, SessionDescription answer, NegotiatedSession? current = null)
    {
        var index = ourOffer.DataSectionIndex;
        if (index < 0)
        {
            throw new ArgumentException("our offer has no data section", nameof(ourOffer));
        }

        if (answer.MediaSections.Count != ourOffer.MediaSections.Count)
        {
            throw SdpFormat.Error(
                WebRtcFormatProblem.InvalidValue,
                $"the answer has {answer.MediaSections.Count} m= sections, our offer {ourOffer.MediaSections.Count}");
        }

        var ours = ourOffer.MediaSections[index];
        var remote = answer.MediaSections[index];
        if (remote.IsRejected)
        {
            throw SdpFormat.Error(WebRtcFormatProblem.Unsupported, "the answer rejects the data channel section (port 0)");
        }

        if (!remote.IsDataChannel)
        {
            throw SdpFormat.Error(WebRtcFormatProblem.InvalidValue, $"the answer's section {index + 1} is '{remote.Media} {remote.Protocol}', not a data channel section");
        }

        if (ours.Mid is not null && remote.Mid is not null && ours.Mid != remote.Mid)
        {
            throw SdpFormat.Error(WebRtcFormatProblem.InvalidValue, $"the answer's mid '{SdpGrammar.Shorten(remote.Mid)}' is not our offer's '{ours.Mid}'");
        }

        var fingerprints = RemoteIdentityCheck.VerifiableFingerprints(remote, "the answer");
        var role = SetupNegotiation.RoleOfOfferer(remote.Setup);
        RefuseIceRestart(current, remote);
        return Settle(remote, fingerprints, answer.IceLite, index, role, ours);
    }

    private static NegotiatedSession Settle(
        SdpMediaSection remote, IReadOnlyList<DtlsFingerprint> verifiableFingerprints, bool remoteIceLite, int index, DtlsRole role, SdpMediaSection ours) => new()
    {
        LocalDtlsRole = role,
        Mid = ours.Mid,
        MLineIndex = index,
        RemoteIceUfrag = remote.IceUfrag!,
        RemoteIcePwd = remote.IcePwd!,
        RemoteIceLite = remoteIceLite,
        RemoteSupportsTrickle = remote.SupportsTrickle,
        RemoteFingerprints = verifiableFingerprints,
        RemoteCandidates = remote.Candidates,
        RemoteEndOfCandidates = remote.EndOfCandidates,
        LocalSctpPort = ours.EffectiveSctpPort,
        RemoteSctpPort = remote.EffectiveSctpPort,
        MaxSendMessageSize = remote.EffectiveMaxMessageSize,
        MaxReceiveMessageSize = ours.MaxMessageSize ?? SdpMediaSection.DefaultMaxMessageSize,
    };

    private static SdpMediaSection OurDataSection(LocalSessionParameters local, string? mid, SdpSetupRole setup, bool legacy) => new()
    {
        Media = "application",
        Port = PlaceholderPort,
        Protocol = legacy ? SdpMediaSection.LegacyDtlsSctp : SdpMediaSection.UdpDtlsSctp,
        Formats = [legacy ? local.SctpPort.ToString(System.Globalization.CultureInfo.InvariantCulture) : SdpMediaSection.DataChannelFormat],
        Mid = mid,
        IceUfrag = local.IceUfrag,
        IcePwd = local.IcePwd,
        IceOptions = ["trickle"],
        Fingerprints = [local.Fingerprint],
        Setup = setup,
        SctpPort = local.SctpPort,
        MaxMessageSize = local.MaxMessageSize,
        Candidates = local.Candidates,
        EndOfCandidates = local.EndOfCandidates,
    };

    private static SdpMediaSection Rejected(SdpMediaSection offered) => new()
    {
        Media = offered.Media,
        Port = 0,
        Protocol = offered.Protocol,
        Formats = offered.Formats,
        Mid = offered.Mid,
    };

    private static void RefuseIceRestart(NegotiatedSession? current, SdpMediaSection remote)
    {
        if (current is not null && (remote.IceUfrag != current.RemoteIceUfrag || remote.IcePwd != current.RemoteIcePwd))
        {
            throw SdpFormat.Error(WebRtcFormatProblem.Unsupported, "ICE restart (a new ice-ufrag or ice-pwd) is not supported yet");
        }
    }

    private static WebRtcFormatException NoDataSection(SessionDescription offer) =>
        offer.MediaSections.Any(m => m.IsDataChannel)
            ? SdpFormat.Error(WebRtcFormatProblem.Unsupported, "the offer's data channel section is rejected (port 0)")
            : offer.MediaSections.Any(m => m.Media == "application" && m.Protocol.Contains("SCTP", StringComparison.OrdinalIgnoreCase))
                ? SdpFormat.Error(WebRtcFormatProblem.Unsupported, "the offer's SCTP section is not over UDP/DTLS (we speak UDP/DTLS/SCTP and the legacy DTLS/SCTP)")
                : SdpFormat.Error(WebRtcFormatProblem.Missing, "the offer has no data channel section (m=application ... UDP/DTLS/SCTP webrtc-datachannel)");
}
