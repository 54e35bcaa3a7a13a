namespace P2PSync.Node.Transport.WebRtc.Sdp;

/// <summary>
/// The <c>o=</c> line (RFC 8866 §5.2): <c>o=&lt;username&gt; &lt;sess-id&gt; &lt;sess-version&gt; IN &lt;IP4|IP6&gt; &lt;address&gt;</c>.
/// The session id names the session for its whole life; the version goes up by one with each new
/// description (a re-offer), so a peer can tell a new description from a repeat.
/// </summary>
internal sealed record SdpOrigin(string Username, ulong SessionId, ulong SessionVersion, string AddressType, string Address)
{
    /// <summary>What we write: no user name, the placeholder address browsers use.</summary>
    public static SdpOrigin Ours(ulong sessionId, ulong sessionVersion) => new("-", sessionId, sessionVersion, "IP4", "0.0.0.0");
}
