using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Tls;

namespace P2PSync.Node.Transport.WebRtc.Dtls;

/// <summary>
/// The record cipher BouncyCastle uses for epoch 1, in place of its own GCM: .NET's AesGcm (AES-NI)
/// is much faster than BC's managed AES, it keeps no state that one bad tag could poison, and it
/// shares its arithmetic with <see cref="DtlsRecordPrecheck"/>, whose already-decrypted plaintexts
/// it hands back instead of decrypting twice. Wire format: see <see cref="DtlsRecordCrypto"/>.
/// </summary>
internal sealed class AesGcmRecordCipher : TlsCipher, IDisposable
{
    private readonly object _writeGate = new();
    private readonly AesGcm _writeCipher;
    private readonly byte[] _writeSalt;
    private readonly DtlsRecordPrecheck _precheck;
    private readonly byte _versionMajor;
    private readonly byte _versionMinor;

    /// <summary>Seals with our side's key and salt; arms <paramref name="precheck"/> with the peer's.</summary>
    public AesGcmRecordCipher(DtlsRecordKeys keys, bool isServer, DtlsRecordPrecheck precheck)
    {
        _precheck = precheck;
        _versionMajor = keys.VersionMajor;
        _versionMinor = keys.VersionMinor;
        _writeCipher = new AesGcm(isServer ? keys.ServerKey : keys.ClientKey, DtlsRecordCrypto.TagLength);
        _writeSalt = isServer ? keys.ServerSalt : keys.ClientSalt;
        precheck.Arm(
            isServer ? keys.ClientKey : keys.ServerKey,
            isServer ? keys.ClientSalt : keys.ServerSalt,
            keys.VersionMajor,
            keys.VersionMinor);
    }

    public int GetPlaintextLimit(int ciphertextLimit) =>
        ciphertextLimit - DtlsRecordCrypto.ExplicitNonceLength - DtlsRecordCrypto.TagLength;

    /// <remarks><paramref name="seqNo"/> is BC's epoch‖sequence; unique per key, so a safe explicit nonce.</remarks>
    public byte[] EncodePlaintext(long seqNo, byte type, byte[] plaintext, int offset, int len)
    {
        lock (_writeGate)
        {
            return DtlsRecordCrypto.Seal(
                _writeCipher, _writeSalt, seqNo, type, _versionMajor, _versionMinor, plaintext.AsSpan(offset, len));
        }
    }

    /// <exception cref="TlsFatalAlert">bad_record_mac: only reachable for records that arrived before the keys were known.</exception>
    public byte[] DecodeCiphertext(long seqNo, byte type, byte[] ciphertext, int offset, int len)
    {
        if (_precheck.TryTakePlaintext(seqNo, out var cached))
        {
            return cached;
        }

        if (_precheck.TryDecrypt(seqNo, type, ciphertext.AsSpan(offset, len), out var plaintext))
        {
            return plaintext;
        }

        throw new TlsFatalAlert(AlertDescription.bad_record_mac);
    }

    public void Dispose()
    {
        lock (_writeGate)
        {
            _writeCipher.Dispose();
        }
    }
}
