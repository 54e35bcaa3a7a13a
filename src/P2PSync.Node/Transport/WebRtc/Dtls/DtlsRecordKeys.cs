using Org.BouncyCastle.Crypto.Tls;

namespace P2PSync.Node.Transport.WebRtc.Dtls;

/// <summary>
/// The AES-128-GCM key block of one DTLS 1.2 connection (RFC 5246 §6.3, RFC 5288 §3):
/// <c>PRF(master_secret, "key expansion", server_random ‖ client_random)</c> cut into
/// client key (16) ‖ server key (16) ‖ client salt (4) ‖ server salt (4). GCM suites have no MAC key.
/// </summary>
internal sealed class DtlsRecordKeys
{
    private const int KeyLength = 16;
    private const int SaltLength = 4;

    private DtlsRecordKeys(byte[] clientKey, byte[] serverKey, byte[] clientSalt, byte[] serverSalt, byte versionMajor, byte versionMinor)
    {
        ClientKey = clientKey;
        ServerKey = serverKey;
        ClientSalt = clientSalt;
        ServerSalt = serverSalt;
        VersionMajor = versionMajor;
        VersionMinor = versionMinor;
    }

    public byte[] ClientKey { get; }

    public byte[] ServerKey { get; }

    public byte[] ClientSalt { get; }

    public byte[] ServerSalt { get; }

    /// <summary>The negotiated version as it appears in the additional data (DTLS 1.2: fe fd).</summary>
    public byte VersionMajor { get; }

    public byte VersionMinor { get; }

    /// <summary>
    /// Derives the key block from a handshake in progress. Must run inside <c>GetCipher()</c>:
    /// BouncyCastle wipes the master secret once the handshake ends.
    /// </summary>
    /// <exception cref="TlsFatalAlert">The suite is not TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, or the master secret is gone.</exception>
    public static DtlsRecordKeys Derive(TlsContext context)
    {
        var parameters = context.SecurityParameters;
        if (parameters.CipherSuite != CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 || parameters.MasterSecret is null)
        {
            throw new TlsFatalAlert(AlertDescription.internal_error);
        }

        var seed = new byte[parameters.ServerRandom.Length + parameters.ClientRandom.Length];
        parameters.ServerRandom.CopyTo(seed, 0);
        parameters.ClientRandom.CopyTo(seed, parameters.ServerRandom.Length);
        var block = TlsUtilities.PRF(context, parameters.MasterSecret, ExporterLabel.key_expansion, seed, (2 * KeyLength) + (2 * SaltLength));
        var version = context.ServerVersion;
        return new DtlsRecordKeys(
            block[..KeyLength],
            block[KeyLength..(2 * KeyLength)],
            block[(2 * KeyLength)..((2 * KeyLength) + SaltLength)],
            block[((2 * KeyLength) + SaltLength)..],
            (byte)version.MajorVersion,
            (byte)version.MinorVersion);
    }

    /// <summary>Builds keys directly (tests, and a peer whose key block is already known).</summary>
    public static DtlsRecordKeys FromParts(byte[] clientKey, byte[] serverKey, byte[] clientSalt, byte[] serverSalt) =>
        new(clientKey, serverKey, clientSalt, serverSalt, 0xfe, 0xfd);
}
