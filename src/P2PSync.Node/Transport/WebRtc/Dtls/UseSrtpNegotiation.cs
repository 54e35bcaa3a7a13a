using System.Collections;
using Org.BouncyCastle.Crypto.Tls;

namespace P2PSync.Node.Transport.WebRtc.Dtls;

/// <summary>
/// The use_srtp extension (RFC 5764 §4.1.1) on a data-only session. We never run SRTP, but werift
/// 0.25.2 fails its transport ("need srtpProfile") once DTLS is up unless a profile was
/// negotiated, in either role (seen: docs/dev/webrtc-harness.md, Findings). So our client offers the
/// two profiles werift and Chromium both support, and our server echoes the first offered profile
/// it knows, with an empty MKI; the keys it would derive are never exported or used.
/// </summary>
internal static class UseSrtpNegotiation
{
    /// <summary>AEAD_AES_128_GCM (RFC 7714) then SRTP_AES128_CM_HMAC_SHA1_80 (RFC 5764): werift's list, in its order.</summary>
    private static readonly int[] Offered = [SrtpProtectionProfile.SRTP_AEAD_AES_128_GCM, SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80];

    /// <summary>Adds our offer to a ClientHello's extensions (creating the table when BC had none).</summary>
    public static IDictionary AddOffer(IDictionary? clientExtensions)
    {
        var extensions = TlsExtensionsUtilities.EnsureExtensionsInitialised(clientExtensions);
        TlsSRTPUtils.AddUseSrtpExtension(extensions, new UseSrtpData(Offered, TlsUtilities.EmptyBytes));
        return extensions;
    }

    /// <summary>
    /// The profile to echo for a client's extensions, or null when it offered none we know (then the
    /// ServerHello carries no use_srtp: Chromium accepts that, see the harness Findings).
    /// </summary>
    /// <exception cref="TlsFatalAlert">decode_error when the client's use_srtp is malformed.</exception>
    public static int? Choose(IDictionary? clientExtensions)
    {
        if (clientExtensions is null)
        {
            return null;
        }

        UseSrtpData? offer;
        try
        {
            offer = TlsSRTPUtils.GetUseSrtpExtension(clientExtensions);
        }
        catch (IOException e)
        {
            throw new TlsFatalAlert(AlertDescription.decode_error, e);
        }

        return offer?.ProtectionProfiles.Cast<int>().Where(p => Offered.Contains(p)).Select(p => (int?)p).FirstOrDefault();
    }

    /// <summary>Adds the echo of <paramref name="profile"/> to a ServerHello's extensions.</summary>
    public static IDictionary AddEcho(IDictionary? serverExtensions, int profile)
    {
        var extensions = TlsExtensionsUtilities.EnsureExtensionsInitialised(serverExtensions);
        TlsSRTPUtils.AddUseSrtpExtension(extensions, new UseSrtpData([profile], TlsUtilities.EmptyBytes));
        return extensions;
    }
}
