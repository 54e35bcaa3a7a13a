using System.Buffers.Binary;
using P2PSync.Node.Crypto;

namespace P2PSync.Node.Security.Spaces;

/// <summary>
/// Seals bytes that leave a direct connection (relay mailbox, signalling, exported bundles) under
/// a space's content key, and opens them again. Layout in <see cref="SealedEnvelope"/> and
/// docs/protocol/sealed-envelope.md. Records are signed first and sealed second, so whoever opens
/// one can still check who wrote it; sealing only hides it from non-members.
/// </summary>
internal static class SpaceSealer
{
    /// <summary>
    /// <paramref name="plaintext"/> encrypted under <paramref name="key"/> with a fresh random nonce.
    /// The 24-byte nonce makes random choice safe for any number of messages per key, so devices
    /// sharing a key never coordinate counters.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown kind, empty space, or a plaintext above <see cref="SealedEnvelope.MaxPlaintextBytes"/>.</exception>
    public static byte[] Seal(SealedEnvelopeKind kind, SpaceId space, SpaceKey key, ReadOnlySpan<byte> plaintext)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a sealed envelope kind.");
        }

        if (space.IsEmpty)
        {
            throw new ArgumentException("An envelope is sealed for a space.", nameof(space));
        }

        if (plaintext.Length > SealedEnvelope.MaxPlaintextBytes)
        {
            throw new ArgumentException($"At most {SealedEnvelope.MaxPlaintextBytes} bytes fit in one envelope, not {plaintext.Length}.", nameof(plaintext));
        }

        // Header, nonce and ciphertext cover every byte, so zeroing the array first would be wasted work.
        var envelope = GC.AllocateUninitializedArray<byte>(SealedEnvelope.MinLength + plaintext.Length);
        var span = envelope.AsSpan();
        span[0] = SealedEnvelope.Version;
        span[SealedEnvelope.KindOffset] = (byte)kind;
        space.Bytes.CopyTo(span[SealedEnvelope.SpaceOffset..]);
        BinaryPrimitives.WriteUInt64BigEndian(span[SealedEnvelope.EpochOffset..], key.Epoch);
        var nonce = span.Slice(SealedEnvelope.AssociatedDataLength, XChaCha20Poly1305.NonceBytes);
        Sodium.RandomBytes(nonce);
        XChaCha20Poly1305.Encrypt(
            key.Bytes, nonce, span[..SealedEnvelope.AssociatedDataLength], plaintext, span[SealedEnvelope.HeaderLength..]);
        return envelope;
    }

    /// <summary>Authenticates and decrypts an envelope that must belong to <paramref name="expectedSpace"/>, with the key of its epoch from <paramref name="ring"/>.</summary>
    /// <exception cref="SealedEnvelopeException">Malformed, another space, an epoch not in the ring, or forged/altered.</exception>
    public static OpenedEnvelope Open(ReadOnlySpan<byte> sealedBytes, SpaceId expectedSpace, SpaceKeyRing ring)
    {
        ArgumentNullException.ThrowIfNull(ring);
        var envelope = SealedEnvelope.Parse(sealedBytes);
        if (!envelope.SpaceBytes.SequenceEqual(expectedSpace.Bytes))
        {
            throw new SealedEnvelopeException(
                SealedEnvelopeProblem.WrongSpace, $"The envelope is sealed for space {envelope.Space}, not {expectedSpace}.");
        }

        if (!ring.TryGet(envelope.Epoch, out var key))
        {
            throw new SealedEnvelopeException(
                SealedEnvelopeProblem.UnknownEpoch, $"No key for epoch {envelope.Epoch} of space {expectedSpace} is held here.");
        }

        // Not zeroed first: decryption writes every byte, and on failure it wipes them before we throw.
        var plaintext = GC.AllocateUninitializedArray<byte>(envelope.PlaintextLength);
        try
        {
            XChaCha20Poly1305.Decrypt(key.Bytes, envelope.Nonce, envelope.AssociatedData, envelope.Ciphertext, plaintext);
        }
        catch (DecryptionFailedException)
        {
            throw new SealedEnvelopeException(
                SealedEnvelopeProblem.Forged, $"The envelope does not authenticate under epoch {envelope.Epoch} of space {expectedSpace}: altered, or not sealed by a member.");
        }

        return new OpenedEnvelope(envelope.Kind, expectedSpace, envelope.Epoch, plaintext);
    }
}
