using P2PSync.Node.Transport.WebRtc.Dtls;

namespace P2PSync.Node.Transport.WebRtc.Sdp;

/// <summary>
/// The last gate before a peer's description is used: WebRTC's whole authentication is the DTLS
/// certificate matching an <c>a=fingerprint</c> of the peer's SDP (RFC 8827 §6.5), so a data section
/// that gives no fingerprint we can compute is refused here, before ICE spends a single check on it.
/// The parser already refuses a missing or malformed attribute in text; this also covers descriptions
/// built in code, and it is the only place that sees hash names we parse but cannot verify
/// (md5, sha-224, private names), which would otherwise fail much later as a DTLS bad_certificate.
/// </summary>
internal static class RemoteIdentityCheck
{
    /// <summary>The fingerprints of <paramref name="remote"/> that a certificate can be checked against (at least one).</summary>
    /// <param name="whose">"the offer" or "the answer", for the message.</param>
    /// <exception cref="WebRtcFormatException">
    /// Layer SDP: <see cref="WebRtcFormatProblem.Missing"/> when the section has no fingerprint or no
    /// ICE credentials, <see cref="WebRtcFormatProblem.Unsupported"/> when every fingerprint uses a hash we cannot compute.
    /// </exception>
    public static IReadOnlyList<DtlsFingerprint> VerifiableFingerprints(SdpMediaSection remote, string whose)
    {
        if (remote.Fingerprints.Count == 0)
        {
            throw SdpFormat.Error(
                WebRtcFormatProblem.Missing,
                $"{whose}'s data section has no a=fingerprint, so the peer's DTLS certificate could not be authenticated");
        }

        var verifiable = remote.Fingerprints.Where(f => f.CanVerify).ToList();
        if (verifiable.Count == 0)
        {
            var names = string.Join(", ", remote.Fingerprints.Select(f => SdpGrammar.Shorten(f.Algorithm)).Distinct(StringComparer.Ordinal));
            throw SdpFormat.Error(
                WebRtcFormatProblem.Unsupported,
                $"{whose}'s data section has no fingerprint we can verify: it uses only {names} (we verify {DtlsFingerprint.VerifiableAlgorithms})");
        }

        // Settle reads both; a description built in code (not parsed) may lack them.
        if (remote.IceUfrag is null || remote.IcePwd is null)
        {
            throw SdpFormat.Error(WebRtcFormatProblem.Missing, $"{whose}'s data section has no a=ice-ufrag or a=ice-pwd");
        }

        return verifiable;
    }
}
