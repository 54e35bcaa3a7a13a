using System.Globalization;
using System.Text;
using P2PSync.Node.Transport.WebRtc.Stun;

namespace P2PSync.Node.Transport.WebRtc.Ice;

/// <summary>
/// Foundations group candidates that would fail or succeed together (RFC 8445 §5.1.1.3): same type,
/// base IP, STUN server and transport give the same foundation. We print a CRC-32 of those fields in
/// decimal, which is ice-char safe and the shape Chromium's foundations have.
/// </summary>
internal static class CandidateFoundation
{
    public static string Compute(IceCandidateType type, string baseAddress, string? server, string protocol)
    {
        string key = $"{IceCandidateLine.TypeToken(type)}|{baseAddress}|{server}|{protocol.ToLowerInvariant()}";
        return Crc32.Compute(Encoding.UTF8.GetBytes(key)).ToString(CultureInfo.InvariantCulture);
    }
}
