namespace P2PSync.Node.Discovery.Mdns.Wire;

/// <summary>
/// A whole DNS message. Equality compares the sections element by element (records compare by
/// value), so a decoded message equals the one that was encoded.
/// </summary>
internal sealed record DnsMessage(
    ushort Id,
    DnsFlags Flags,
    IReadOnlyList<DnsQuestion> Questions,
    IReadOnlyList<DnsRecord> Answers,
    IReadOnlyList<DnsRecord> Authorities,
    IReadOnlyList<DnsRecord> Additionals)
{
    public bool IsResponse => (Flags & DnsFlags.Response) != 0;

    /// <summary>Header opcode (bits 11-14). mDNS ignores messages whose opcode is not 0 (RFC 6762 §18.3).</summary>
    public int Opcode => ((ushort)Flags >> 11) & 0xF;

    /// <summary>Header rcode (bits 0-3). mDNS ignores messages whose rcode is not 0 (RFC 6762 §18.11).</summary>
    public int Rcode => (ushort)Flags & 0xF;

    /// <summary>An mDNS query (id 0, no flags) with optional known answers (RFC 6762 §7.1, §18.1).</summary>
    public static DnsMessage Query(IReadOnlyList<DnsQuestion> questions, IReadOnlyList<DnsRecord>? knownAnswers = null) =>
        new(0, DnsFlags.None, questions, knownAnswers ?? [], [], []);

    /// <summary>An mDNS response (QR and AA set, id 0, no questions; RFC 6762 §18.1, §18.4).</summary>
    public static DnsMessage Response(IReadOnlyList<DnsRecord> answers, IReadOnlyList<DnsRecord>? additionals = null) =>
        new(0, DnsFlags.Response | DnsFlags.Authoritative, [], answers, [], additionals ?? []);

    public bool Equals(DnsMessage? other) =>
        other is not null
        && Id == other.Id
        && Flags == other.Flags
        && Questions.SequenceEqual(other.Questions)
        && Answers.SequenceEqual(other.Answers)
        && Authorities.SequenceEqual(other.Authorities)
        && Additionals.SequenceEqual(other.Additionals);

    public override int GetHashCode() => HashCode.Combine(Id, Flags, Questions.Count, Answers.Count, Authorities.Count, Additionals.Count);
}
