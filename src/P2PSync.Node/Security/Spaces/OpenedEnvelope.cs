namespace P2PSync.Node.Security.Spaces;

/// <summary>
/// What an authenticated envelope carried: its kind, space and epoch (all authenticated) and the
/// plaintext. The plaintext is only as trustworthy as "a holder of the epoch key sealed it": a
/// signed record inside must still pass <see cref="RecordGate"/>.
/// </summary>
internal sealed class OpenedEnvelope
{
    public OpenedEnvelope(SealedEnvelopeKind kind, SpaceId space, ulong epoch, byte[] plaintext)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        Kind = kind;
        Space = space;
        Epoch = epoch;
        Plaintext = plaintext;
    }

    public SealedEnvelopeKind Kind { get; }

    public SpaceId Space { get; }

    public ulong Epoch { get; }

    /// <summary>The decrypted bytes (owned by this object; nothing else refers to them).</summary>
    public byte[] Plaintext { get; }
}
