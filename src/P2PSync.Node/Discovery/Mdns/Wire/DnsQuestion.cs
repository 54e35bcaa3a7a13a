namespace P2PSync.Node.Discovery.Mdns.Wire;

/// <summary>
/// One entry of the question section. Class is always IN on the wire when we encode; on decode
/// any class is accepted and only its top bit is kept, as <paramref name="UnicastResponse"/>
/// (the "QU" bit, RFC 6762 §5.4).
/// </summary>
internal sealed record DnsQuestion(DnsName Name, DnsRecordType Type, bool UnicastResponse);
