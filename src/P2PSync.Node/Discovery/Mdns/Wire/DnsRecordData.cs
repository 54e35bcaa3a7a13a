namespace P2PSync.Node.Discovery.Mdns.Wire;

/// <summary>
/// The rdata of a record, one subtype per layout. Equality is by value in every subtype, because
/// known-answer suppression and caches compare rdata (<see cref="DnsRecord.SameRdata"/>).
/// </summary>
internal abstract record DnsRecordData;
