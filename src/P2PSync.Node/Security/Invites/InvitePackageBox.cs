using Google.Protobuf;
using P2PSync.Node.Crypto;
using P2PSync.Node.Identity;
using P2PSync.Node.Security.Spaces;
using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Security.Invites;

/// <summary>
/// Seals what an inviter leaves on the relay's invite topic, and opens it on the joiner's side
/// (docs/protocol/join.md, "Through the relay"). Every envelope is a <see cref="SealedEnvelope"/>
/// under the invite box key (epoch 0), with the invite id where a space envelope has its space id,
/// so the relay sees neither the space id nor a link to the space's topic:
/// <code>
///   kind 4 invite package: SignedMessage{author = inviter, payload = InvitePackage bytes,
///                                        signature = Ed25519 over "p2psync/invite-package/v1\0" || payload}
///   kind 1 signed record:  one record of the space, exactly as sync sends it
/// </code>
/// </summary>
internal static class InvitePackageBox
{
    /// <summary>The epoch written in the header: an invite box has one key.</summary>
    public const ulong BoxEpoch = 0;

    private static ReadOnlySpan<byte> Label => "p2psync/invite-package/v1\0"u8;

    /// <summary>The package signed by <paramref name="inviter"/> and sealed under the secret's box key.</summary>
    public static byte[] SealPackage(InvitePackage package, DeviceKey inviter, ReadOnlySpan<byte> secret)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(inviter);
        var payload = package.ToByteArray();
        var signed = new SignedMessage
        {
            Author = ByteString.CopyFrom(inviter.PublicKey),
            Payload = ByteString.CopyFrom(payload),
            Signature = ByteString.CopyFrom(inviter.Sign(Signed(payload))),
        }.ToByteArray();
        return Seal(SealedEnvelopeKind.InvitePackage, signed, secret);
    }

    /// <summary>One record of the space, sealed for whoever holds the secret.</summary>
    public static byte[] SealRecord(ReadOnlySpan<byte> record, ReadOnlySpan<byte> secret) => Seal(SealedEnvelopeKind.SignedRecord, record, secret);

    /// <summary>Opens one envelope of the invite topic.</summary>
    /// <exception cref="InvitePackageException">Malformed, another invite, or forged.</exception>
    public static OpenedInviteItem Open(ReadOnlySpan<byte> envelope, ReadOnlySpan<byte> secret)
    {
        var invite = InviteSpace(secret);
        using var ring = new SpaceKeyRing();
        using (var key = new SpaceKey(BoxEpoch, RelayInviteKeys.BoxKey(secret)))
        {
            ring.Add(key);
        }

        OpenedEnvelope opened;
        try
        {
            opened = SpaceSealer.Open(envelope, invite, ring);
        }
        catch (SealedEnvelopeException ex) when (ex.Problem == SealedEnvelopeProblem.Malformed)
        {
            throw new InvitePackageException(InvitePackageProblem.Malformed, $"an envelope on the invite topic is malformed: {ex.Message}");
        }
        catch (SealedEnvelopeException ex)
        {
            throw new InvitePackageException(InvitePackageProblem.Forged, $"an envelope on the invite topic does not open with this invite's secret: {ex.Message}");
        }

        return opened.Kind is SealedEnvelopeKind.InvitePackage or SealedEnvelopeKind.SignedRecord
            ? new OpenedInviteItem(opened.Kind, opened.Plaintext)
            : throw new InvitePackageException(InvitePackageProblem.Malformed, $"an envelope on the invite topic holds a {opened.Kind}, which does not belong there");
    }

    /// <summary>The package and who signed it; the signature is checked here, the content by <see cref="RelayInviteClaim"/>.</summary>
    /// <exception cref="InvitePackageException">Not a signed package, or the signature does not verify.</exception>
    public static (DeviceId Author, InvitePackage Package) ReadPackage(ReadOnlySpan<byte> plaintext)
    {
        SignedMessage signed;
        InvitePackage package;
        try
        {
            signed = SignedMessage.Parser.ParseFrom(plaintext);
            package = InvitePackage.Parser.ParseFrom(signed.Payload);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new InvitePackageException(InvitePackageProblem.Malformed, $"the invite package does not parse: {ex.Message}");
        }

        if (signed.Author.Length != DeviceId.KeyLength || signed.Signature.Length != Sodium.Ed25519SignatureBytes)
        {
            throw new InvitePackageException(InvitePackageProblem.Malformed, "the invite package needs a 32-byte author and a 64-byte signature");
        }

        if (!Sodium.Ed25519Verify(signed.Signature.Span, Signed(signed.Payload.Span), signed.Author.Span))
        {
            throw new InvitePackageException(InvitePackageProblem.BadSignature, "the signature of the invite package does not verify");
        }

        return (DeviceId.FromPublicKey(signed.Author.Span), package);
    }

    private static byte[] Seal(SealedEnvelopeKind kind, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> secret)
    {
        using var key = new SpaceKey(BoxEpoch, RelayInviteKeys.BoxKey(secret));
        return SpaceSealer.Seal(kind, InviteSpace(secret), key, plaintext);
    }

    // The header slot that names a space in space envelopes names the invite here (same 16 bytes).
    private static SpaceId InviteSpace(ReadOnlySpan<byte> secret) => SpaceId.FromBytes(InviteSecrets.InviteId(secret));

    private static byte[] Signed(ReadOnlySpan<byte> payload)
    {
        var signed = new byte[Label.Length + payload.Length];
        Label.CopyTo(signed);
        payload.CopyTo(signed.AsSpan(Label.Length));
        return signed;
    }
}
