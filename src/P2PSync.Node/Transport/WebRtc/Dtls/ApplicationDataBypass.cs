using System.Buffers.Binary;

namespace P2PSync.Node.Transport.WebRtc.Dtls;

/// <summary>
/// The data path after the handshake, around BouncyCastle. BC 1.8.10's record layer allocates a
/// 16 KiB buffer on every receive call and hands each record through two more threads and copies;
/// at a few thousand SCTP packets per second that, not AES, was our ceiling (docs/dev/webrtc-notes.md,
/// perf section). Epoch-1 application-data records are the only records that carry SCTP, and the
/// pre-check already authenticates them with <see cref="System.Security.Cryptography.AesGcm"/>; so once
/// the handshake is over they are opened here, checked against our own replay window and handed up
/// directly. Everything else (alerts such as close_notify, handshake retransmissions, epoch 0,
/// malformed datagrams) still goes to BC, which keeps close and alert handling exactly as before.
/// Called from one thread only (the adapter's pump).
/// </summary>
internal sealed class ApplicationDataBypass
{
    private const byte ApplicationDataType = 23;

    private readonly DtlsRecordPrecheck _precheck;
    private readonly DtlsReplayWindow _window = new();
    private long _replayed;
    private long _opened;

    public ApplicationDataBypass(DtlsRecordPrecheck precheck)
    {
        _precheck = precheck;
    }

    /// <summary>Authentic application-data records dropped because their sequence number was already used (or too old).</summary>
    public long ReplayedRecords => Interlocked.Read(ref _replayed);

    /// <summary>Application-data records opened here instead of in BC.</summary>
    public long RecordsOpened => Interlocked.Read(ref _opened);

    /// <summary>
    /// Opens the epoch-1 application-data records of <paramref name="datagram"/> into
    /// <paramref name="plaintexts"/> (in order) and returns the other records, still for BC, as one
    /// datagram; null when nothing is left for BC. A datagram that is not well-formed DTLS is
    /// returned whole: the pre-check in BC's path drops and counts it as before.
    /// </summary>
    public byte[]? Split(ReadOnlySpan<byte> datagram, List<byte[]> plaintexts)
    {
        if (!DtlsRecordPrecheck.IsWellFormed(datagram) || !_precheck.IsArmed)
        {
            return datagram.ToArray();
        }

        List<Range>? forBouncyCastle = null;
        var offset = 0;
        while (offset < datagram.Length)
        {
            var length = BinaryPrimitives.ReadUInt16BigEndian(datagram[(offset + 11)..]);
            var record = datagram.Slice(offset, DtlsRecordPrecheck.HeaderLength + length);
            if (!TryOpen(record, plaintexts))
            {
                (forBouncyCastle ??= []).Add(new Range(offset, offset + record.Length));
            }

            offset += record.Length;
        }

        if (forBouncyCastle is null)
        {
            return null;
        }

        var rest = new byte[forBouncyCastle.Sum(r => r.End.Value - r.Start.Value)];
        var at = 0;
        foreach (var range in forBouncyCastle)
        {
            datagram[range].CopyTo(rest.AsSpan(at));
            at += range.End.Value - range.Start.Value;
        }

        return rest;
    }

    // True when the record was ours to handle: opened, or dropped as forged or replayed.
    private bool TryOpen(ReadOnlySpan<byte> record, List<byte[]> plaintexts)
    {
        var epoch = BinaryPrimitives.ReadUInt16BigEndian(record[3..]);
        if (record[0] != ApplicationDataType || epoch != 1 || record[2] != 0xfd)
        {
            return false;
        }

        var sequence = (long)(BinaryPrimitives.ReadUInt64BigEndian(record[3..]) & 0xFFFF_FFFF_FFFFUL);
        if (!_precheck.TryDecrypt((1L << 48) | sequence, ApplicationDataType, record[DtlsRecordPrecheck.HeaderLength..], out var plaintext))
        {
            _precheck.CountForged();
            return true;
        }

        if (!_window.TryAccept(sequence))
        {
            Interlocked.Increment(ref _replayed);
            return true;
        }

        Interlocked.Increment(ref _opened);
        plaintexts.Add(plaintext);
        return true;
    }
}
