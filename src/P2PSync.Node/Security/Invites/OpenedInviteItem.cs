using P2PSync.Node.Security.Spaces;

namespace P2PSync.Node.Security.Invites;

/// <summary>One envelope of an invite topic, opened: the package itself or a signed record of the space.</summary>
/// <param name="Kind"><see cref="SealedEnvelopeKind.InvitePackage"/> or <see cref="SealedEnvelopeKind.SignedRecord"/>.</param>
/// <param name="Plaintext">The signed package (<c>SignedMessage</c> bytes) or the record's bytes.</param>
internal sealed record OpenedInviteItem(SealedEnvelopeKind Kind, byte[] Plaintext);
