using System.Buffers.Binary;
using System.Security.Cryptography;

namespace P2PSync.Node.Transport.WebRtc.Dtls;

/// <summary>
/// Looks at every datagram before BouncyCastle does (docs/dev/webrtc-notes.md §2.7). BC 1.8.10
/// fails the whole connection on one record whose AES-GCM tag is wrong, and a forged sequence
/// number would move its replay window even if the error were swallowed; anyone who can put a
/// packet on the path could end our session. So records are split out here, malformed datagrams
/// are dropped whole, and encrypted records are authenticated with .NET's AesGcm first: a forged
/// one is dropped and counted, the rest go on. The plaintext of a good record is kept so the
/// record cipher does not decrypt it a second time.
/// </summary>
/// <remarks>
/// Record header (RFC 6347 §4.1), 13 bytes:
/// <code>
///  0      1      3      5               11     13
///  +------+------+------+---------------+------+-----------------+
///  | type | ver  |epoch | sequence (48) | len  | fragment (len)  |
///  +------+------+------+---------------+------+-----------------+
/// </code>
/// Encrypted fragment (AES-128-GCM, RFC 5288): explicit nonce (8) ‖ ciphertext ‖ tag (16).
/// </remarks>
internal sealed class DtlsRecordPrecheck : IDisposable
{
    public const int HeaderLength = 13;

    // A replayed good record is authenticated (and cached) again but BC's replay window never asks
    // for it; the cap keeps such leftovers from piling up. A miss only costs one more decryption.
    private const int MaxCachedPlaintexts = 64;

    /// <summary>Room a destination needs beyond the datagram: one withheld ChangeCipherSpec record.</summary>
    public const int ExtraSpace = ChangeCipherSpecLength;

    // Header plus the single byte 0x01.
    private const int ChangeCipherSpecLength = HeaderLength + 1;

    private readonly object _gate = new();
    private readonly Dictionary<long, byte[]> _plaintexts = new();

    private const byte HandshakeType = 22;

    // BC 1.8.10 switches its read epoch the moment a ChangeCipherSpec arrives once the keys exist,
    // and then drops every epoch-0 handshake record. If the link reorders or loses part of the
    // peer's final flight (ChangeCipherSpec overtakes CertificateVerify, or the verify is lost),
    // the missing message and each retransmission of it are dropped forever and the handshake
    // hangs [seen in our seeded link tests]. A CCS only matters right before the peer's Finished,
    // so it is held back and handed over just before an epoch-1 handshake record, and only once
    // every plaintext message that precedes that Finished has arrived whole.
    private readonly HandshakeFlightTracker _flight = new();
    private byte[]? _withheldChangeCipherSpec;
    private long _heldBackRecords;
    private AesGcm? _readCipher;
    private byte[] _readSalt = [];
    private byte _versionMajor;
    private byte _versionMinor;
    private long _malformedDatagrams;
    private long _forgedRecords;
    private long _unexpectedEpochRecords;

    /// <summary>Datagrams dropped whole: not DTLS records, a bad version, or a length that overruns.</summary>
    public long MalformedDatagrams => Interlocked.Read(ref _malformedDatagrams);

    /// <summary>Encrypted records dropped because their tag did not verify (or they were too short to carry one).</summary>
    public long ForgedRecords => Interlocked.Read(ref _forgedRecords);

    /// <summary>Records of an epoch above 1, which DTLS 1.2 without renegotiation never uses.</summary>
    public long UnexpectedEpochRecords => Interlocked.Read(ref _unexpectedEpochRecords);

    /// <summary>The peer's Finished records dropped because part of its flight before them was still missing.</summary>
    public long HeldBackRecords => Interlocked.Read(ref _heldBackRecords);

    /// <summary>True once the read keys are known (from the middle of the handshake on).</summary>
    public bool IsArmed
    {
        get
        {
            lock (_gate)
            {
                return _readCipher is not null;
            }
        }
    }

    /// <summary>Starts authenticating epoch-1 records with the peer's write key and salt.</summary>
    public void Arm(byte[] readKey, byte[] readSalt, byte versionMajor, byte versionMinor)
    {
        lock (_gate)
        {
            _readCipher?.Dispose();
            _readCipher = new AesGcm(readKey, DtlsRecordCrypto.TagLength);
            _readSalt = readSalt.ToArray();
            _versionMajor = versionMajor;
            _versionMinor = versionMinor;
            _plaintexts.Clear();
        }
    }

    /// <summary>
    /// Copies the records of <paramref name="datagram"/> that may reach BC into <paramref name="destination"/>
    /// (which must hold the datagram plus <see cref="ExtraSpace"/>); returns how many bytes were written, 0 if none.
    /// </summary>
    public int Filter(ReadOnlySpan<byte> datagram, Span<byte> destination)
    {
        if (destination.Length < datagram.Length + ExtraSpace)
        {
            throw new ArgumentException("destination must hold the whole datagram and a withheld ChangeCipherSpec", nameof(destination));
        }

        if (!IsWellFormed(datagram))
        {
            Interlocked.Increment(ref _malformedDatagrams);
            return 0;
        }

        var written = 0;
        var offset = 0;
        while (offset < datagram.Length)
        {
            var length = BinaryPrimitives.ReadUInt16BigEndian(datagram[(offset + 11)..]);
            var record = datagram.Slice(offset, HeaderLength + length);
            offset += record.Length;
            if (IsChangeCipherSpec(record))
            {
                _withheldChangeCipherSpec = record.ToArray();
                continue;
            }

            if (record[0] == HandshakeType && record[4] == 0)
            {
                _flight.Observe(record[HeaderLength..]);
            }

            if (!Accept(record))
            {
                continue;
            }

            if (_withheldChangeCipherSpec is { } changeCipherSpec && record[0] == HandshakeType && record[4] == 1)
            {
                if (!IsPeerFlightComplete(record))
                {
                    // BC would switch epochs and then never accept the missing plaintext message:
                    // drop the Finished too and let the peer's retransmission bring the whole flight.
                    Interlocked.Increment(ref _heldBackRecords);
                    continue;
                }

                changeCipherSpec.CopyTo(destination[written..]);
                written += changeCipherSpec.Length;
                _withheldChangeCipherSpec = null;
            }

            record.CopyTo(destination[written..]);
            written += record.Length;
        }

        return written;
    }

    /// <summary>Hands out (once) the plaintext of a record this check already authenticated.</summary>
    public bool TryTakePlaintext(long epochAndSequence, out byte[] plaintext)
    {
        lock (_gate)
        {
            return _plaintexts.Remove(epochAndSequence, out plaintext!);
        }
    }

    /// <summary>Authenticates and decrypts one epoch-1 fragment; false if the tag does not verify.</summary>
    public bool TryDecrypt(long epochAndSequence, byte type, ReadOnlySpan<byte> fragment, out byte[] plaintext)
    {
        plaintext = [];
        if (fragment.Length < DtlsRecordCrypto.ExplicitNonceLength + DtlsRecordCrypto.TagLength)
        {
            return false;
        }

        lock (_gate)
        {
            if (_readCipher is null)
            {
                return false;
            }

            return DtlsRecordCrypto.TryOpen(
                _readCipher, _readSalt, epochAndSequence, type, _versionMajor, _versionMinor, fragment, out plaintext);
        }
    }

    /// <summary>Counts a record that failed authentication somewhere else (the application-data bypass).</summary>
    public void CountForged() => Interlocked.Increment(ref _forgedRecords);

    public void Dispose()
    {
        lock (_gate)
        {
            _readCipher?.Dispose();
            _readCipher = null;
            _plaintexts.Clear();
        }
    }

    // Every record must have a known content type (20 change_cipher_spec .. 24 heartbeat), a DTLS
    // version (feff = 1.0, used in hellos; fefd = 1.2) and a length inside the datagram.
    public static bool IsWellFormed(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length < HeaderLength)
        {
            return false;
        }

        var offset = 0;
        while (offset < datagram.Length)
        {
            if (datagram.Length - offset < HeaderLength)
            {
                return false;
            }

            var type = datagram[offset];
            var major = datagram[offset + 1];
            var minor = datagram[offset + 2];
            var length = BinaryPrimitives.ReadUInt16BigEndian(datagram[(offset + 11)..]);
            if (type is < 20 or > 24 || major != 0xfe || (minor != 0xff && minor != 0xfd) || offset + HeaderLength + length > datagram.Length)
            {
                return false;
            }

            offset += HeaderLength + length;
        }

        return true;
    }

    private bool Accept(ReadOnlySpan<byte> record)
    {
        var epoch = BinaryPrimitives.ReadUInt16BigEndian(record[3..]);
        if (epoch == 0)
        {
            // Plaintext hellos and their retransmits; BC drops what it no longer needs.
            return true;
        }

        if (epoch > 1)
        {
            Interlocked.Increment(ref _unexpectedEpochRecords);
            return false;
        }

        if (!IsArmed)
        {
            // Keys come from GetCipher(), which BC calls while it processes the message just before
            // this one (often from the same datagram). The record cipher authenticates it then; a
            // forgery at this point fails a handshake that an on-path attacker could stop anyway.
            return true;
        }

        var epochAndSequence = ((long)epoch << 48) | ReadSequence(record);
        var type = record[0];
        if (!TryDecrypt(epochAndSequence, type, record[HeaderLength..], out var plaintext))
        {
            Interlocked.Increment(ref _forgedRecords);
            return false;
        }

        lock (_gate)
        {
            if (_plaintexts.Count >= MaxCachedPlaintexts)
            {
                _plaintexts.Clear();
            }

            _plaintexts[epochAndSequence] = plaintext;
        }

        return true;
    }

    // The Finished's plaintext is in the cache (the record just passed authentication). Before the
    // keys exist BC has no pending epoch, so it ignores the CCS and the record alike: nothing to
    // protect, and a pass-through check (as tests use for a stock BC peer) must not hold CCS forever.
    private bool IsPeerFlightComplete(ReadOnlySpan<byte> record)
    {
        if (!IsArmed)
        {
            return true;
        }

        var epochAndSequence = (1L << 48) | ReadSequence(record);
        byte[]? plaintext;
        lock (_gate)
        {
            _plaintexts.TryGetValue(epochAndSequence, out plaintext);
        }

        return plaintext is not null
            && HandshakeFlightTracker.TryReadMessageSeq(plaintext, out var messageSeq)
            && _flight.HasCompleteMessagesBefore(messageSeq);
    }

    private static bool IsChangeCipherSpec(ReadOnlySpan<byte> record) =>
        record[0] == 20 && record.Length == ChangeCipherSpecLength && record[3] == 0 && record[4] == 0 && record[HeaderLength] == 1;

    private static long ReadSequence(ReadOnlySpan<byte> record)
    {
        long sequence = 0;
        for (var i = 5; i < 11; i++)
        {
            sequence = (sequence << 8) | record[i];
        }

        return sequence;
    }
}
