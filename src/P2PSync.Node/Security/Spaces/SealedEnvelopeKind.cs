namespace P2PSync.Node.Security.Spaces;

/// <summary>What a sealed envelope carries. The values are the wire encoding and must never be renumbered.</summary>
internal enum SealedEnvelopeKind : byte
{
    /// <summary>The exact bytes of one <see cref="SignedRecord"/>.</summary>
    SignedRecord = 1,

    /// <summary>A node message: protobuf <c>Envelope</c> bytes.</summary>
    NodeMessage = 2,

    /// <summary>
    /// An invite package (protobuf <c>SignedMessage</c> over an <c>InvitePackage</c>), sealed under
    /// an invite box key; the header's space id slot holds the invite id (docs/protocol/join.md).
    /// </summary>
    InvitePackage = 4,

    /// <summary>
    /// A WebRTC rendezvous message (signed by its sender, then sealed under the space's current
    /// key) on the space's signalling topic (docs/protocol/webrtc-rendezvous.md).
    /// </summary>
    WebRtcRendezvous = 5,
}
