using System.Buffers.Binary;
using System.Security.Cryptography;
using P2PSync.Node.Transport.WebRtc.Dtls;

namespace P2PSync.Node.Tests.Transport.WebRtc.Dtls;

/// <summary>Builds DTLS 1.2 records sealed the AES-128-GCM way with a test key, for the record-level tests.</summary>
internal static class DtlsTestRecords
{
    public static readonly byte[] Key = Convert.FromHexString("000102030405060708090a0b0c0d0e0f");
    public static readonly byte[] Salt = Convert.FromHexString("a0a1a2a3");

    /// <summary>A pre-check armed to read what <see cref="Build"/> seals.</summary>
    public static DtlsRecordPrecheck ArmedPrecheck()
    {
        var precheck = new DtlsRecordPrecheck();
        precheck.Arm(Key, Salt, 0xfe, 0xfd);
        return precheck;
    }

    public static byte[] Build(byte type, ushort epoch, long sequence, ReadOnlySpan<byte> payload, bool encrypt = true)
    {
        var epochAndSequence = ((long)epoch << 48) | sequence;
        byte[] fragment;
        if (encrypt)
        {
            using var gcm = new AesGcm(Key, 16);
            fragment = DtlsRecordCrypto.Seal(gcm, Salt, epochAndSequence, type, 0xfe, 0xfd, payload);
        }
        else
        {
            fragment = payload.ToArray();
        }

        var record = new byte[13 + fragment.Length];
        record[0] = type;
        record[1] = 0xfe;
        record[2] = 0xfd;
        BinaryPrimitives.WriteInt64BigEndian(record.AsSpan(3), epochAndSequence);
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(11), (ushort)fragment.Length);
        fragment.CopyTo(record, 13);
        return record;
    }
}
