namespace P2PSync.Node.Discovery.Mdns.Wire;

/// <summary>
/// Packs a message that is too big for one packet into several (see
/// <see cref="DnsCodec.EncodeSplit"/> for the rules). Compression makes a record's size depend
/// on what precedes it, so candidate packets are encoded in full to measure them; since adding
/// a record never makes a packet smaller, the number of records per packet is found by
/// galloping then bisecting, a handful of encodes per packet instead of one per record.
/// </summary>
internal static class DnsMessageSplitter
{
    public static IReadOnlyList<byte[]> Split(DnsMessage message, int maxBytes)
    {
        var whole = DnsMessageWriter.Write(message);
        if (whole.Length <= maxBytes)
            return [whole];

        var first = message with { Answers = [], Additionals = [] };
        var firstBytes = DnsMessageWriter.Write(first);
        if (firstBytes.Length > maxBytes)
            throw new DnsFormatException(
                $"The questions and authority records alone take {firstBytes.Length} bytes; the limit is {maxBytes}.");

        // Answers then additionals, in order; the flag says which section a record goes back to.
        var records = message.Answers.Select(r => (Record: r, IsAnswer: true))
            .Concat(message.Additionals.Select(r => (Record: r, IsAnswer: false)))
            .ToArray();
        var rest = message with { Questions = [], Authorities = [], Answers = [], Additionals = [] };
        var packets = new List<DnsMessage>();
        var next = 0;
        var shell = first;
        var shellHoldsSomething = message.Questions.Count > 0 || message.Authorities.Count > 0;
        while (next < records.Length)
        {
            var count = LargestFit(shell, records, next, maxBytes);
            if (count == 0)
            {
                if (!shellHoldsSomething)
                    throw new DnsFormatException(
                        $"The {records[next].Record.Type} record for {records[next].Record.Name} does not fit in a packet of {maxBytes} bytes on its own.");
                // The first packet is full with its questions and authorities: answers start in the next one.
                packets.Add(shell);
            }
            else
            {
                packets.Add(With(shell, records, next, count));
                next += count;
            }
            shell = rest;
            shellHoldsSomething = false;
        }

        if (!message.IsResponse)
        {
            // RFC 6762 §7.2: TC on a query means "more known answers follow in the next packet".
            for (var i = 0; i < packets.Count - 1; i++)
                packets[i] = packets[i] with { Flags = packets[i].Flags | DnsFlags.Truncated };
        }
        return packets.Select(DnsMessageWriter.Write).ToArray();
    }

    /// <summary>How many of records[start..] fit after <paramref name="shell"/>'s own content.</summary>
    private static int LargestFit(DnsMessage shell, (DnsRecord Record, bool IsAnswer)[] records, int start, int maxBytes)
    {
        bool Fits(int count) => DnsMessageWriter.Write(With(shell, records, start, count)).Length <= maxBytes;

        var available = records.Length - start;
        var good = 0;
        var probe = 1;
        while (probe <= available && Fits(probe))
        {
            good = probe;
            probe *= 2;
        }
        var bad = Math.Min(probe, available + 1);
        while (bad - good > 1)
        {
            var middle = good + (bad - good) / 2;
            if (Fits(middle))
                good = middle;
            else
                bad = middle;
        }
        return good;
    }

    private static DnsMessage With(DnsMessage shell, (DnsRecord Record, bool IsAnswer)[] records, int start, int count)
    {
        var slice = records.AsSpan(start, count);
        var answers = new List<DnsRecord>(shell.Answers);
        var additionals = new List<DnsRecord>(shell.Additionals);
        foreach (var (record, isAnswer) in slice)
            (isAnswer ? answers : additionals).Add(record);
        return shell with { Answers = answers, Additionals = additionals };
    }
}
