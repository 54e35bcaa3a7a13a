namespace P2PSync.Node.Transport.WebRtc.Sctp.Params;

/// <summary>RE-CONFIG parameter types (RFC 6525 §4).</summary>
internal enum ReConfigParameterType : ushort
{
    OutgoingSsnResetRequest = 13,
    IncomingSsnResetRequest = 14,
    SsnTsnResetRequest = 15,
    ReconfigurationResponse = 16,
    AddOutgoingStreamsRequest = 17,
    AddIncomingStreamsRequest = 18,
}
