namespace P2PSync.Node.Discovery.Mdns.Wire;

/// <summary>
/// DNS message codec for mDNS (RFC 1035 §4 with the RFC 6762 bit meanings). Pure: no sockets,
/// no state. <see cref="Decode"/> throws only <see cref="DnsFormatException"/>, whatever bytes
/// it is given; see docs/protocol/mdns.md for the layouts.
/// </summary>
internal static class DnsCodec
{
    /*
     * Header (RFC 1035 §4.1.1), 12 bytes, all big-endian:
     *
     *    0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15
     *   +--+-----------+--+--+--+--+--+--+--+-----------+
     *   |                      ID                       |
     *   +--+-----------+--+--+--+--+--+--+--+-----------+
     *   |QR|  OPCODE   |AA|TC|RD|RA| Z|AD|CD|   RCODE   |   = DnsFlags, kept whole
     *   +--+-----------+--+--+--+--+--+--+--+-----------+
     *   |                    QDCOUNT                    |
     *   |                    ANCOUNT                    |
     *   |                    NSCOUNT                    |
     *   |                    ARCOUNT                    |
     *   +-----------------------------------------------+
     *
     * then QDCOUNT questions, ANCOUNT answers, NSCOUNT authority and ARCOUNT additional
     * records. Bytes after the last record are ignored (they carry nothing we could use).
     */

    /// <exception cref="DnsFormatException">the bytes are not a well-formed DNS message.</exception>
    public static DnsMessage Decode(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < DnsWireConstants.HeaderBytes)
            throw new DnsFormatException($"A DNS message needs a {DnsWireConstants.HeaderBytes}-byte header; got {packet.Length} bytes.");
        var reader = new DnsReader(packet);
        var id = reader.ReadUInt16("the header");
        var flags = (DnsFlags)reader.ReadUInt16("the header");
        int questionCount = reader.ReadUInt16("the header");
        int answerCount = reader.ReadUInt16("the header");
        int authorityCount = reader.ReadUInt16("the header");
        int additionalCount = reader.ReadUInt16("the header");

        // Checked before any list is allocated: a 12-byte packet claiming 65535 records each
        // must not make us reserve room for them.
        long minimum = (long)questionCount * DnsWireConstants.MinQuestionBytes
            + (long)(answerCount + authorityCount + additionalCount) * DnsWireConstants.MinRecordBytes;
        if (minimum > reader.Remaining)
            throw new DnsFormatException(
                $"The header counts ({questionCount}/{answerCount}/{authorityCount}/{additionalCount}) need at least {minimum} bytes; only {reader.Remaining} follow.");

        var questions = new DnsQuestion[questionCount];
        for (var i = 0; i < questionCount; i++)
            questions[i] = reader.ReadQuestion(i);
        var answers = ReadSection(ref reader, answerCount, "answer");
        var authorities = ReadSection(ref reader, authorityCount, "authority record");
        var additionals = ReadSection(ref reader, additionalCount, "additional record");
        return new DnsMessage(id, flags, questions, answers, authorities, additionals);
    }

    /// <summary>Encodes one message with name compression.</summary>
    /// <exception cref="DnsFormatException">a section has over 65535 entries, or a record's data does not fit its type or an rdlength.</exception>
    public static byte[] Encode(DnsMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return DnsMessageWriter.Write(message);
    }

    /// <summary>
    /// Encodes <paramref name="message"/> as one packet when it fits in <paramref name="maxBytes"/>,
    /// otherwise as several (RFC 6762 §7.2, §17): the first packet carries every question and
    /// authority record (a probe's proposed records must travel with its questions, §8.2), and
    /// answers then additionals fill that packet and the next ones in order. All packets keep
    /// the id and flags; a query split in several sets TC on all but the last, telling responders
    /// that more known answers follow. Use <see cref="DnsWireConstants.DefaultMaxPacketBytes"/>.
    /// </summary>
    /// <exception cref="DnsFormatException">the questions and authorities alone, or one record alone, exceed <paramref name="maxBytes"/>.</exception>
    public static IReadOnlyList<byte[]> EncodeSplit(DnsMessage message, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, DnsWireConstants.HeaderBytes);
        return DnsMessageSplitter.Split(message, maxBytes);
    }

    private static DnsRecord[] ReadSection(ref DnsReader reader, int count, string section)
    {
        var records = new DnsRecord[count];
        for (var i = 0; i < count; i++)
            records[i] = reader.ReadRecord($"{section} {i}");
        return records;
    }
}
